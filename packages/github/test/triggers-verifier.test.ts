import { handleWebhook, MemoryWebhookInbox, WebhookRejection } from "@autoflow/core";
import { sign } from "@octokit/webhooks-methods";
import { describe, expect, it } from "vitest";
import { createGithubWebhookVerifier } from "../src/index";

// Signatures made with the official helper, the way GitHub makes them: over the exact body bytes.
const OLD = "old-secret-0000";
const NEW = "new-secret-1111";
const body = JSON.stringify({
  action: "opened",
  issue: { number: 7 },
  repository: { full_name: "octo-org/hello" },
});

function request(text: string, headers: Record<string, string | undefined>) {
  const h = new Headers();
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) h.set(name, value);
  return { headers: h, body: new TextEncoder().encode(text) };
}

async function signed(text: string, secret: string, extra: Record<string, string | undefined> = {}) {
  return request(text, {
    "x-hub-signature-256": await sign(secret, text),
    "x-github-delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
    "x-github-event": "issues",
    ...extra,
  });
}

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (WebhookRejection.isInstance(error))
      return { code: error.code, status: error.status, message: error.message };
    throw error;
  }
  throw new Error("accepted");
}

describe("createGithubWebhookVerifier", () => {
  const verifier = createGithubWebhookVerifier({ secrets: [NEW] });

  it("accepts a delivery signed with the secret: id, event and action from GitHub's headers and payload", async () => {
    expect(await verifier.verify(await signed(body, NEW), Date.now())).toEqual({
      kind: "delivery",
      delivery: {
        provider: "github",
        deliveryId: "72d3162e-cc78-11e3-81ab-4c9367dc0958",
        event: "issues",
        action: "opened",
        payload: JSON.parse(body),
      },
    });
  });

  it("accepts either secret during a rotation, and only those", async () => {
    const rotating = createGithubWebhookVerifier({ secrets: [NEW, OLD] });
    for (const secret of [NEW, OLD]) {
      expect(await rotating.verify(await signed(body, secret), 0)).toMatchObject({ kind: "delivery" });
    }
    expect(
      await rejection(Promise.resolve(rotating.verify(await signed(body, "third-secret"), 0))),
    ).toMatchObject({
      code: "bad_signature",
    });
    // After the rotation the old secret is dropped and no longer works.
    expect(await rejection(Promise.resolve(verifier.verify(await signed(body, OLD), 0)))).toMatchObject({
      code: "bad_signature",
      status: 401,
    });
  });

  it("refuses a body changed by one byte after signing", async () => {
    const good = await signed(body, NEW);
    const tampered = new Uint8Array(good.body);
    const at = body.indexOf("7");
    tampered[at] = "8".charCodeAt(0);
    expect(
      await rejection(Promise.resolve(verifier.verify({ headers: good.headers, body: tampered }, 0))),
    ).toEqual({
      code: "bad_signature",
      status: 401,
      message: "X-Hub-Signature-256 does not match the body",
    });
  });

  it.each([
    ["no signature", { "x-hub-signature-256": undefined }, "missing_signature"],
    [
      "only the legacy SHA-1 signature",
      { "x-hub-signature-256": undefined, "x-hub-signature": "sha1=abc" },
      "missing_signature",
    ],
    [
      "a signature without the sha256= prefix",
      { "x-hub-signature-256": "a".repeat(64) },
      "malformed_signature",
    ],
    [
      "a sha1 signature in the sha256 header",
      { "x-hub-signature-256": `sha1=${"a".repeat(40)}` },
      "malformed_signature",
    ],
    ["a short digest", { "x-hub-signature-256": `sha256=${"a".repeat(63)}` }, "malformed_signature"],
    [
      "a digest that is not hex",
      { "x-hub-signature-256": `sha256=${"g".repeat(64)}` },
      "malformed_signature",
    ],
    ["a well-formed wrong digest", { "x-hub-signature-256": `sha256=${"0".repeat(64)}` }, "bad_signature"],
  ] as const)("refuses %s with 401", async (_name, headers, code) => {
    expect(
      await rejection(Promise.resolve(verifier.verify(await signed(body, NEW, headers), 0))),
    ).toMatchObject({
      code,
      status: 401,
    });
  });

  it("checks the signature before parsing: a non-JSON body is 401 with a bad signature, 400 with a good one", async () => {
    const junk = "payload=%7B%22not%22%3A%22json%22%7D";
    expect(
      await rejection(
        Promise.resolve(
          verifier.verify(await signed(junk, NEW, { "x-hub-signature-256": `sha256=${"1".repeat(64)}` }), 0),
        ),
      ),
    ).toMatchObject({ code: "bad_signature", status: 401 });
    expect(await rejection(Promise.resolve(verifier.verify(await signed(junk, NEW), 0)))).toMatchObject({
      code: "not_json",
      status: 400,
    });
  });

  it("refuses a signed delivery without X-GitHub-Delivery (400), and answers one without X-GitHub-Event with 400", async () => {
    expect(
      await rejection(
        Promise.resolve(verifier.verify(await signed(body, NEW, { "x-github-delivery": undefined }), 0)),
      ),
    ).toMatchObject({ code: "missing_delivery_id", status: 400 });
    expect(await verifier.verify(await signed(body, NEW, { "x-github-event": undefined }), 0)).toEqual({
      kind: "respond",
      status: 400,
      body: { ok: false, error: "missing_event" },
    });
  });

  it("refuses bodies that are empty or not UTF-8 as unsigned, and takes a ping as a delivery", async () => {
    const empty = await signed("{}", NEW);
    expect(
      await rejection(
        Promise.resolve(verifier.verify({ headers: empty.headers, body: new Uint8Array() }, 0)),
      ),
    ).toMatchObject({
      code: "bad_signature",
    });
    const latin1 = await signed("{}", NEW);
    expect(
      await rejection(
        Promise.resolve(
          verifier.verify({ headers: latin1.headers, body: new Uint8Array([0x7b, 0xff, 0x7d]) }, 0),
        ),
      ),
    ).toMatchObject({ code: "bad_signature" });
    const ping = JSON.stringify({ zen: "Design for failure.", hook_id: 1 });
    expect(await verifier.verify(await signed(ping, NEW, { "x-github-event": "ping" }), 0)).toMatchObject({
      kind: "delivery",
      delivery: { event: "ping", payload: { hook_id: 1 } },
    });
  });

  it("needs at least one non-empty secret, and never puts a secret in a rejection", async () => {
    expect(() => createGithubWebhookVerifier({ secrets: [] })).toThrow(/at least one secret/);
    expect(() => createGithubWebhookVerifier({ secrets: [""] })).toThrow(/at least one secret/);
    const inbox = new MemoryWebhookInbox();
    const { headers, body: bytes } = await signed(body, "attacker-guess");
    const answer = await handleWebhook({ verifier, inbox }, headers, bytes);
    expect(answer).toEqual({ status: 401, body: { ok: false, error: "bad_signature" } });
    expect(JSON.stringify(answer)).not.toContain(NEW);
    expect(await inbox.pending()).toEqual([]);
  });
});
