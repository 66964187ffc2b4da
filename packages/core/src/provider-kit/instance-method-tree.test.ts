import { describe, expect, it } from "vitest";
import { instanceMethodTree } from "./instance-method-tree";
import { sdkNamespaceNames } from "./sdk-passthrough";

// A tiny SDK shaped like Stripe's: resources are class instances with their methods on prototypes, grouped under
// plain or class namespaces, next to configuration and helpers that are not API.
class Resource {
  constructor(readonly client: { calls: string[] }) {}
  protected call(name: string) {
    this.client.calls.push(name);
    return Promise.resolve({ name, self: this });
  }
}
class Widgets extends Resource {
  create() {
    return this.call("widgets.create");
  }
  _internal() {
    return "hidden";
  }
}
class LimitedWidgets extends Widgets {
  list() {
    return this.call("widgets.list");
  }
}
class Sessions extends Resource {
  expire() {
    return this.call("checkout.sessions.expire");
  }
}
class Checkout {
  readonly sessions: Sessions;
  constructor(readonly client: { calls: string[] }) {
    this.sessions = new Sessions(client);
  }
}
class FakeSdk {
  readonly calls: string[] = [];
  readonly _config = { host: "x" };
  readonly errors = { NotFound: class extends Error {} };
  readonly widgets = new LimitedWidgets(this);
  readonly checkout = new Checkout(this);
  readonly settings = { retries: 0 };
  helper() {
    return 1;
  }
}

const options = {
  isResource: (value: object) => value instanceof Resource,
  resourceBase: Resource.prototype,
  skip: (key: string) => key.startsWith("_") || key === "client",
};

describe("instanceMethodTree", () => {
  it("lists class-instance resources as plain namespaces of bound methods, inherited ones too", async () => {
    const sdk = new FakeSdk();
    const tree = instanceMethodTree<Record<string, Record<string, unknown>>>(sdk, options);
    expect(Object.keys(tree).sort()).toEqual(["checkout", "widgets"]);
    expect(Object.keys(tree.widgets ?? {}).sort()).toEqual(["create", "list"]);
    const sessions = tree.checkout?.sessions as Record<string, () => Promise<{ self: unknown }>> | undefined;
    const expire = sessions?.expire;
    expect((await expire?.())?.self).toBe(sdk.checkout.sessions);
    expect(sdk.calls).toEqual(["checkout.sessions.expire"]);
  });

  it("is built once per client, and is what the passthrough reads namespaces from", () => {
    const sdk = new FakeSdk();
    expect(instanceMethodTree(sdk, options)).toBe(instanceMethodTree(sdk, options));
    const names = sdkNamespaceNames({
      root: (client: FakeSdk) => instanceMethodTree(client, options),
      shape: () => sdk,
      result: "response",
    });
    expect(names.sort()).toEqual(["checkout", "widgets"]);
  });
});
