import { describe, expectTypeOf, it } from "vitest";
import type { TaskOutput } from "../json";
import type { Acme, AcmeClient, Widget, Widgets } from "./__fixtures__/acme-sdk";
import type { ProviderIntegrationClass } from "./provider-integration";
import type { SdkTasks, WithPassthrough } from "./sdk-tasks";

declare const acme: Acme;

describe("ProviderIntegrationClass, typed from the definition", () => {
  it("gives each hand-written task class of `tasks` its getter, with the rest of the namespace passing through", () => {
    expectTypeOf(acme.widgets).toEqualTypeOf<WithPassthrough<Widgets, AcmeClient["widgets"], "response">>();
    expectTypeOf(acme.widgets.create).returns.resolves.toEqualTypeOf<TaskOutput<Widget>>();
    expectTypeOf(acme.widgets.archive).returns.resolves.toEqualTypeOf<TaskOutput<{ archived: string }>>();
    expectTypeOf(acme.checkout.sessions.expire).toBeFunction();
  });

  it("types every other namespace of the SDK's tree as passthrough tasks, in the definition's result shape", () => {
    expectTypeOf(acme.whoami).toEqualTypeOf<SdkTasks<AcmeClient["whoami"], "response">>();
  });

  it("refuses what the SDK does not have", () => {
    // @ts-expect-error no such method in widgets
    acme.widgets.explode("k", {});
    // @ts-expect-error no such namespace
    acme.gadgets;
    // @ts-expect-error the task key comes first
    acme.widgets.create({ name: "x" });
  });

  it("reads `data` answers for a definition whose result is data", () => {
    type Client = { rest: { items: { get(params: { id: string }): Promise<{ data: { id: string } }> } } };
    type Definition = {
      createClient(token: string, options: { id: string }): Client;
      sdk: { root(client: Client): Client["rest"]; result: "data" };
    };
    type Instance = InstanceType<ProviderIntegrationClass<Definition>>;
    expectTypeOf<Instance["items"]["get"]>().returns.resolves.toEqualTypeOf<TaskOutput<{ id: string }>>();
  });
});
