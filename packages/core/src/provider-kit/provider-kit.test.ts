import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ConnectionAuth } from "../integration";
import { redactSecrets } from "../redact-secrets";
import { defineJob, type JobIO } from "../runtime/job";
import { MemoryTaskStore } from "../runtime/memory-task-store";
import { type AuthResolver, JobRunner } from "../runtime/runner";
import { REDACTED } from "../runtime/scrubber";
import { ACME_DEFINITION, Acme, answer, startAcmeServer } from "./__fixtures__/acme-sdk";

let api: Awaited<ReturnType<typeof startAcmeServer>>;
beforeAll(async () => {
  api = await startAcmeServer();
});
afterAll(() => api.stop());
afterEach(() => {
  api.requests.length = 0;
});

let runs = 0;
async function run<T>(
  acme: Acme,
  body: (io: JobIO<{ acme: Acme }>) => Promise<T>,
  resolveAuth?: AuthResolver,
) {
  const store = new MemoryTaskStore();
  const job = defineJob({ id: "kit", integrations: { acme }, run: async (_p, io) => body(io) });
  // Failures are the point of many of these runs: asserted on the result, not printed.
  const result = await new JobRunner({ store, logger: false, ...(resolveAuth && { resolveAuth }) }).run(job, {
    runId: `kit-${++runs}`,
  });
  return { result, tasks: (await store.loadRun(result.runId))?.tasks ?? [] };
}

const local = (token = `acme_tok_local${runs}xx`) => new Acme({ id: "acme", token, baseUrl: api.url });

describe("task classes and the passthrough", () => {
  it("runs hand-written tasks, passthrough methods, and both in a nested namespace", async () => {
    const { result, tasks } = await run(local(), async (io) => {
      const widget = await io.acme.widgets.create("create", { name: "made" });
      const archived = await io.acme.widgets.archive("archive", { id: widget.id });
      const session = await io.acme.checkout.sessions.create("session", { amount: 100 });
      const expired = await io.acme.checkout.sessions.expire("expire", { id: session.id });
      const me = await io.acme.whoami.get("whoami");
      return { archived: archived.archived, expired: expired.expired, me: me.token };
    });
    // The API echoed the run's token under a secret-named key: the task log and the output never hold it.
    expect(result).toMatchObject({
      status: "completed",
      output: { archived: "w_new", expired: true, me: REDACTED },
    });
    expect(tasks.map((task) => [task.id, task.name, task.icon])).toEqual([
      ["create", "Create Widget", "acme"],
      ["archive", "widgets.archive", "acme"],
      ["session", "Create Checkout Session", "acme"],
      ["expire", "checkout.sessions.expire", "acme"],
      ["whoami", "whoami.get", "acme"],
    ]);
    expect(tasks[0]?.properties).toEqual([{ label: "Name", text: "made" }]);
  });

  it("shows a passthrough call's params as the definition's passthroughProperties say, and a bare id as ID", async () => {
    const { result, tasks } = await run(local(), async (io) => {
      await io.acme.widgets.archive("archive", { id: "w_7" });
      await io.acme.checkout.sessions.expire("expire", { id: "cs_9" });
      return (await io.acme.widgets.retrieve("retrieve", "w_8")).name;
    });
    expect(result).toMatchObject({ status: "completed", output: "found" });
    expect(tasks.map((task) => task.properties)).toEqual([
      [{ label: "Widget", text: "w_7" }],
      [{ label: "Widget", text: "cs_9" }],
      [{ label: "ID", text: "w_8" }],
    ]);
  });

  it("builds namespace objects once per clone, and new ones for the next run's clone", async () => {
    const seen: unknown[] = [];
    const acme = local();
    for (let i = 0; i < 2; i++) {
      await run(acme, async (io) => {
        seen.push(io.acme.widgets, io.acme.widgets, io.acme.checkout.sessions, io.acme.checkout.sessions);
        seen.push(io.acme.whoami, io.acme.whoami);
      });
    }
    expect(seen[0]).toBe(seen[1]);
    expect(seen[2]).toBe(seen[3]);
    expect(seen[4]).toBe(seen[5]);
    expect(seen[6]).not.toBe(seen[0]);
  });

  it("has a getter for every SDK namespace, hand-written or not", () => {
    const acme = local();
    expect(["widgets", "checkout", "whoami"].every((name) => name in acme)).toBe(true);
    expect(Object.hasOwn(Object.getPrototypeOf(acme), "whoami")).toBe(true);
  });

  it("refuses a call on the instance the job declared, outside any run", () => {
    expect(() => local().widgets.create("k", { name: "x" })).toThrow(/io\.<name>/);
  });
});

describe("SDK clients", () => {
  it("are built once per token and options, reused across runs, and never shared across tokens", async () => {
    const built: string[] = [];
    const original = ACME_DEFINITION.createClient;
    ACME_DEFINITION.createClient = (token, options, fields) => {
      built.push(token);
      // A LOCAL integration's client has no connection fields: its options carry what it needs.
      expect(fields).toEqual({});
      return original(token, options, fields);
    };
    try {
      for (let i = 0; i < 3; i++) await run(local("acme_tok_reused000"), (io) => io.acme.whoami.get("me"));
      const other = await run(local("acme_tok_another00"), (io) => io.acme.whoami.get("me"));
      expect(built).toEqual(["acme_tok_reused000", "acme_tok_another00"]);
      expect(other.result.status).toBe("completed");
      expect(api.requests.map((request) => request.token)).toEqual([
        "acme_tok_reused000",
        "acme_tok_reused000",
        "acme_tok_reused000",
        "acme_tok_another00",
      ]);
    } finally {
      ACME_DEFINITION.createClient = original;
    }
  });
});

describe("HOSTED auth", () => {
  const hosted = () => new Acme({ id: "acme", baseUrl: api.url });

  it("is asked again before every attempt, so a retry uses the token as it is now", async () => {
    let issued = 0;
    const resolveAuth: AuthResolver = () => ({ type: "oauth2", accessToken: `acme_tok_issued${++issued}0` });
    api.next(answer(503));
    const { result } = await run(hosted(), (io) => io.acme.whoami.get("me"), resolveAuth);
    expect(result.status).toBe("completed");
    // The run's start, then one ask per attempt: the retry went out with a newer token than the first attempt.
    expect(api.requests.map((request) => request.token)).toEqual(["acme_tok_issued20", "acme_tok_issued30"]);
  });

  it("refreshes once after a 401 and calls once more; a second 401 fails as auth", async () => {
    const asked: boolean[] = [];
    const resolveAuth: AuthResolver = ({ forceRefresh }) => {
      asked.push(forceRefresh === true);
      return { type: "oauth2", accessToken: forceRefresh ? "acme_tok_refreshed" : "acme_tok_expiring0" };
    };
    api.next(answer(401));
    const ok = await run(hosted(), (io) => io.acme.widgets.create("create", { name: "x" }), resolveAuth);
    expect(ok.result.status).toBe("completed");
    expect(api.requests.map((request) => request.token)).toEqual([
      "acme_tok_expiring0",
      "acme_tok_refreshed",
    ]);
    expect(asked.filter(Boolean)).toHaveLength(1);

    api.requests.length = 0;
    api.next(answer(401));
    api.next(answer(401));
    const refused = await run(hosted(), (io) => io.acme.widgets.create("create", { name: "x" }), resolveAuth);
    expect(refused.result).toMatchObject({ status: "failed", error: { type: "auth", status: 401 } });
    expect(api.requests).toHaveLength(2);
  });

  it("sends through the connection's own fetch (the service's egress-checked one) when its auth has one", async () => {
    const sentThrough: string[] = [];
    const checkedFetch = (name: string): typeof fetch => {
      return (input, init) => {
        sentThrough.push(name);
        return fetch(input, init);
      };
    };
    const service = checkedFetch("service");
    const resolveAuth: AuthResolver = () => ({
      type: "apiKey",
      accessToken: "acme_tok_site00000",
      fetch: service,
    });
    const hostedOwn = new Acme({ id: "acme", baseUrl: api.url, fetch: checkedFetch("integration") });
    const { result } = await run(hostedOwn, (io) => io.acme.whoami.get("me"), resolveAuth);
    expect(result.status).toBe("completed");
    // A LOCAL token keeps the integration's own fetch: the connection's replaces it only for HOSTED auth.
    const localOwn = new Acme({
      id: "acme",
      token: "acme_tok_local00000",
      baseUrl: api.url,
      fetch: checkedFetch("integration"),
    });
    await run(localOwn, (io) => io.acme.whoami.get("me"));
    expect(sentThrough).toEqual(["service", "integration"]);
    expect(api.requests.map((request) => request.token)).toEqual([
      "acme_tok_site00000",
      "acme_tok_local00000",
    ]);
  });

  it("builds the client with the connection's fields (its site, its cloud), one client per site", async () => {
    const built: { token: string; fields: Readonly<Record<string, string>> }[] = [];
    const original = ACME_DEFINITION.createClient;
    ACME_DEFINITION.createClient = (token, options, fields) => {
      built.push({ token, fields });
      return original(token, options, fields);
    };
    const onSite =
      (site: string): AuthResolver =>
      () => ({ type: "apiKey", accessToken: "acme_tok_sitesite0", additionalFields: { site } });
    try {
      await run(hosted(), (io) => io.acme.whoami.get("me"), onSite("one"));
      await run(hosted(), (io) => io.acme.whoami.get("me"), onSite("one"));
      await run(hosted(), (io) => io.acme.whoami.get("me"), onSite("two"));
      // The same token on another site is another client: a client never carries one site's calls to another.
      expect(built).toEqual([
        { token: "acme_tok_sitesite0", fields: { site: "one" } },
        { token: "acme_tok_sitesite0", fields: { site: "two" } },
      ]);
    } finally {
      ACME_DEFINITION.createClient = original;
    }
  });

  it("does not call again when the refresh gives back the same token", async () => {
    const same: AuthResolver = () =>
      ({ type: "oauth2", accessToken: "acme_tok_samesame0" }) satisfies ConnectionAuth;
    api.next(answer(401));
    const { result } = await run(hosted(), (io) => io.acme.whoami.get("me"), same);
    expect(result).toMatchObject({ status: "failed", error: { type: "auth" } });
    expect(api.requests).toHaveLength(1);
  });
});

describe("idempotency keys", () => {
  it("a task that declares it sends the same key on every attempt; others send none", async () => {
    api.next(answer(500));
    const { result, tasks } = await run(local(), async (io) => {
      await io.acme.widgets.create("create", { name: "x" });
      await io.acme.whoami.get("read");
    });
    expect(result.status).toBe("completed");
    const [first, retried, read] = api.requests;
    expect(first?.idempotencyKey).toBeDefined();
    expect(retried?.idempotencyKey).toBe(first?.idempotencyKey);
    expect(tasks.find((task) => task.id === "create")?.idempotencyKey).toBe(first?.idempotencyKey);
    expect(read?.idempotencyKey).toBeUndefined();
  });
});

describe("page walks", () => {
  it("follow the SDK's own pagination and stop asking once `limit` items are in", async () => {
    const { result } = await run(local(), (io) => io.acme.widgets.listAll("all", { limit: 5 }));
    expect(result.status).toBe("completed");
    if (result.status !== "completed") return;
    expect(result.output.map((widget) => widget.id)).toEqual(["w0", "w1", "w2", "w3", "w4"]);
    expect(api.requests.map((request) => request.path)).toEqual([
      "/widgets",
      "/widgets?cursor=2",
      "/widgets?cursor=4",
    ]);
  });

  it("end at the last page under the limit, and refuse a limit out of bounds before any request", async () => {
    const all = await run(local(), (io) => io.acme.widgets.listAll("all", { limit: 100 }));
    expect(all.result).toMatchObject({ status: "completed" });
    if (all.result.status === "completed") expect(all.result.output).toHaveLength(7);
    api.requests.length = 0;
    const refused = await run(local(), (io) => io.acme.widgets.listAll("none", { limit: 0 }));
    expect(refused.result.status).toBe("failed");
    expect(api.requests).toHaveLength(0);
  });
});

describe("rate limits", () => {
  it("one bucket per connection is shared by every run: a second run waits out the first run's reset", async () => {
    const token = "acme_tok_ratelimit";
    let refused!: () => void;
    const refusal = new Promise<void>((resolve) => {
      refused = resolve;
    });
    api.next((_request, response) => {
      response.writeHead(429, { "retry-after": "1" }).end();
      refused();
      return true;
    });
    const first = run(local(token), (io) => io.acme.whoami.get("me"));
    await refusal;
    const second = run(local(token), (io) => io.acme.whoami.get("me"));
    const results = await Promise.all([first, second]);
    expect(results.map((r) => r.result.status)).toEqual(["completed", "completed"]);
    // Only the first call was refused: the other run's call waited for the reset instead of being refused too.
    expect(api.requests).toHaveLength(3);
  });
});

describe("token shapes", () => {
  it("are registered by the provider's definition, so logs mask them without knowing the value", () => {
    local();
    expect(redactSecrets("failed with acme_tok_0123456789abcdef")).toBe("failed with acme_tok_…cdef");
  });
});

describe("a connection that cannot give auth", () => {
  it("fails the task as auth at once, without calling the provider or retrying", async () => {
    let asked = 0;
    const resolveAuth: AuthResolver = () => {
      asked++;
      if (asked > 1) throw new Error("The connection was removed");
      return { type: "oauth2", accessToken: "acme_tok_removed00" };
    };
    const { result } = await run(
      new Acme({ id: "acme", baseUrl: api.url }),
      (io) => io.acme.whoami.get("me"),
      resolveAuth,
    );
    expect(result).toMatchObject({ status: "failed", error: { type: "auth", provider: "acme" } });
    if (result.status === "failed")
      expect(result.error.message).toMatch(/gave no auth: The connection was removed/);
    expect(api.requests).toHaveLength(0);
    expect(asked).toBe(2);
  });
});
