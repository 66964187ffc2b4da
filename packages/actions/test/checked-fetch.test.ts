import type { LookupAddress } from "node:dns";
import { createErrorMapper, IntegrationError } from "@autoflow/core";
import { describe, expect, it } from "vitest";
import { createCheckedFetch, type EgressLookup } from "../src/egress/index";
import { useScriptedServer } from "./scripted-server";

// The fetch a provider client sends with when a connection names its own site, against a real loopback listener
// and resolvers that lie: every `*.example.test` name is whatever the test says it is.
const server = useScriptedServer({ closeEachConnection: true });

/** A resolver answering `answers` for every name, one list per lookup in turn (the last one repeats). */
function lookupAnswering(...answers: string[][]): EgressLookup & { calls: number } {
  const lookup = Object.assign(
    ((_hostname, _options, callback) => {
      const found = answers[Math.min(lookup.calls, answers.length - 1)] ?? [];
      lookup.calls++;
      callback(
        null,
        found.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }) as LookupAddress),
      );
    }) as EgressLookup,
    { calls: 0 },
  );
  return lookup;
}

async function refusal(request: Promise<Response>): Promise<IntegrationError> {
  const error = await request.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(IntegrationError.isInstance(error)).toBe(true);
  return error as IntegrationError;
}

describe("createCheckedFetch", () => {
  it.each([
    ["loopback", "127.0.0.1", /site\.example\.test: 127\.0\.0\.1 is a loopback address/],
    ["cloud metadata", "169.254.169.254", /site\.example\.test: 169\.254\.169\.254 is a linkLocal address/],
    ["a private network", "10.0.0.1", /site\.example\.test: 10\.0\.0\.1 is a private address/],
  ])(
    "refuses a public-looking name that resolves to %s before any byte reaches the listener",
    async (_name, address, why) => {
      const checked = createCheckedFetch({
        policy: {},
        lookup: lookupAnswering([address]),
        provider: "acme",
      });
      const error = await refusal(checked(`http://site.example.test:${server.port}/rest/api/3/myself`));
      expect(error).toMatchObject({
        type: "schema",
        provider: "acme",
        reason: "egress_denied",
        code: "egress_denied",
        retryable: false,
      });
      expect(error.message).toMatch(why);
      expect(error.message).toMatch(/AUTOFLOW_EGRESS_ALLOW/);
      expect(server.connections).toBe(0);
      expect(server.seen).toEqual([]);
    },
  );

  it.each([
    ["a loopback literal", () => `http://127.0.0.1:${server.port}/`, /127\.0\.0\.1 is a loopback address/],
    ["an IPv6 loopback literal", () => `http://[::1]:${server.port}/`, /loopback/],
    ["the metadata address", () => "http://169.254.169.254/latest/meta-data/", /linkLocal/],
    ["another scheme", () => "file:///etc/passwd", /file: URLs are not sent/],
  ])("refuses %s from the URL alone, without a lookup", async (_name, url, why) => {
    const lookup = lookupAnswering(["93.184.216.34"]);
    const error = await refusal(createCheckedFetch({ policy: {}, lookup })(url()));
    expect(error).toMatchObject({ reason: "egress_denied", provider: "http" });
    expect(error.message).toMatch(why);
    expect(lookup.calls).toBe(0);
    expect(server.connections).toBe(0);
  });

  it("refuses a name on the deny-list whatever it resolves to", async () => {
    const lookup = lookupAnswering(["127.0.0.1"]);
    const checked = createCheckedFetch({
      policy: { allow: ["127.0.0.0/8"], deny: ["site.example.test"] },
      lookup,
    });
    const error = await refusal(checked(`http://site.example.test:${server.port}/`));
    expect(error.message).toMatch(/site\.example\.test is on the deny-list/);
    expect(server.connections).toBe(0);
  });

  it("sends to a trusted origin (the operator's configured API URL, an emulator on loopback) as it is", async () => {
    const checked = createCheckedFetch({
      policy: {},
      lookup: lookupAnswering(["169.254.169.254"]),
      trustedOrigins: [`http://127.0.0.1:${server.port}/api`, undefined, "not a url"],
    });
    const answer = await checked(`http://127.0.0.1:${server.port}/rest/api/3/myself`);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ ok: true });
    expect(server.seen.map((s) => s.url)).toEqual(["/rest/api/3/myself"]);
    // Another port of the same host is another origin: checked, and refused.
    const error = await refusal(checked(`http://127.0.0.1:${server.port + 1}/`));
    expect(error.reason).toBe("egress_denied");
  });

  it("sends to a host the operator allows, by name or by range", async () => {
    const byName = createCheckedFetch({
      policy: { allow: ["site.example.test"] },
      lookup: lookupAnswering(["127.0.0.1"]),
    });
    expect((await byName(`http://site.example.test:${server.port}/by-name`)).status).toBe(200);
    const byRange = createCheckedFetch({
      policy: { allow: ["127.0.0.1/32"] },
      lookup: lookupAnswering(["127.0.0.1"]),
    });
    expect((await byRange(`http://other.example.test:${server.port}/by-range`)).status).toBe(200);
    expect(server.seen.map((s) => s.url)).toEqual(["/by-name", "/by-range"]);
  });

  it.each([301, 302, 303, 307, 308])(
    "refuses a %s redirect instead of following it: permanent, naming where it pointed by origin only",
    async (status) => {
      server.script.push((_req, res) =>
        res
          .writeHead(status, {
            location: "http://169.254.169.254/latest/meta-data/?token=s3cret",
            connection: "close",
          })
          .end("moved"),
      );
      const checked = createCheckedFetch({
        policy: { allow: ["site.example.test"] },
        lookup: lookupAnswering(["127.0.0.1"]),
        provider: "acme",
      });
      const error = await refusal(
        checked(`http://site.example.test:${server.port}/start`, { redirect: "follow" }),
      );
      expect(error).toMatchObject({
        type: "schema",
        provider: "acme",
        status,
        reason: "egress_denied",
        code: "redirect_not_followed",
        retryable: false,
      });
      expect(error.message).toBe(
        `site.example.test:${server.port} answered ${status}, a redirect to http://169.254.169.254: redirects from a ` +
          "site a connection names are not followed (give the address it redirects to as the site URL)",
      );
      expect(server.seen.map((s) => s.url)).toEqual(["/start"]);
    },
  );

  it("hands any other 3xx (304 Not Modified) back as the answer it is", async () => {
    server.script.push((_req, res) => res.writeHead(304, { connection: "close" }).end());
    const checked = createCheckedFetch({
      policy: { allow: ["site.example.test"] },
      lookup: lookupAnswering(["127.0.0.1"]),
    });
    expect((await checked(`http://site.example.test:${server.port}/cached`)).status).toBe(304);
  });

  // 127.0.0.1, which the allow-list admits, stands in for the public address the site had when it was checked: the
  // only address a test can reach. Then the name is rebound inside, and the next connection must see it.
  it.each([
    ["loopback", "127.0.0.2"],
    ["cloud metadata", "169.254.169.254"],
  ])("refuses a name rebound to %s on the next dial (DNS rebinding)", async (_name, inside) => {
    const lookup = lookupAnswering(["127.0.0.1"], [inside]);
    const checked = createCheckedFetch({ policy: { allow: ["127.0.0.1/32"] }, lookup });
    expect((await checked(`http://site.example.test:${server.port}/first`)).status).toBe(200);
    const error = await refusal(checked(`http://site.example.test:${server.port}/second`));
    expect(error.message).toMatch(new RegExp(`site\\.example\\.test: ${inside.replaceAll(".", "\\.")} is a`));
    expect(lookup.calls).toBe(2);
    expect(server.seen.map((s) => s.url)).toEqual(["/first"]);
  });

  it("sends the bodies SDKs build with the global classes (a FormData upload) as they are", async () => {
    const checked = createCheckedFetch({
      policy: { allow: ["site.example.test"] },
      lookup: lookupAnswering(["127.0.0.1"]),
    });
    const form = new FormData();
    form.append("file", new Blob(["hello"]), "hello.txt");
    await checked(`http://site.example.test:${server.port}/attachments`, { method: "POST", body: form });
    expect(server.seen[0]?.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
  });

  it("refuses with an error a provider's error table hands on unchanged, so the task fails once, not retried", async () => {
    const checked = createCheckedFetch({
      policy: {},
      lookup: lookupAnswering(["10.0.0.1"]),
      provider: "acme",
    });
    const error = await refusal(checked(`http://site.example.test:${server.port}/`));
    const toError = createErrorMapper({ provider: "acme", httpError: { status: "status" } });
    expect(toError(error)).toBe(error);
  });
});
