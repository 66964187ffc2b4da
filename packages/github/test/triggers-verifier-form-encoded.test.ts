import { handleWebhook, MemoryWebhookInbox, WebhookRejection } from "@autoflow/core";
import { sign } from "@octokit/webhooks-methods";
import { describe, expect, it } from "vitest";
import { createGithubWebhookVerifier } from "../src/index";

// A hook created with `content_type: "form"` (GitHub's default) posts `payload=<url-encoded JSON>` and signs
// those form bytes, not the JSON inside them.
const SECRET = "form-hook-secret-0123";
const payload = {
  action: "opened",
  issue: { number: 7, title: "Spaces & symbols: 100% + ünïcode" },
  repository: { full_name: "octo-org/hello" },
};
const json = JSON.stringify(payload);
const FORM = "application/x-www-form-urlencoded";

async function delivery(text: string, headers: Record<string, string> = {}, secret = SECRET) {
  return {
    headers: new Headers({
      "content-type": FORM,
      "x-hub-signature-256": await sign(secret, text),
      "x-github-delivery": "d-form-1",
      "x-github-event": "issues",
      ...headers,
    }),
    body: new TextEncoder().encode(text),
  };
}

async function rejection(result: unknown) {
  try {
    await result;
  } catch (error) {
    if (WebhookRejection.isInstance(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("accepted");
}

describe("createGithubWebhookVerifier on form-encoded deliveries", () => {
  const verifier = createGithubWebhookVerifier({ secrets: [SECRET] });

  it.each([
    ["percent-encoded", `payload=${encodeURIComponent(json)}`],
    ["form-encoded (spaces as +)", new URLSearchParams({ payload: json }).toString()],
  ])("takes the JSON from the payload field of a %s body signed as sent", async (_name, form) => {
    expect(
      await verifier.verify(await delivery(form, { "content-type": `${FORM}; charset=utf-8` }), 0),
    ).toEqual({
      kind: "delivery",
      delivery: { provider: "github", deliveryId: "d-form-1", event: "issues", action: "opened", payload },
    });
  });

  it("still reads a JSON hook's body as JSON", async () => {
    expect(
      await verifier.verify(await delivery(json, { "content-type": "application/json" }), 0),
    ).toMatchObject({
      kind: "delivery",
      delivery: { action: "opened", payload },
    });
  });

  it("checks the signature over the form bytes: one over the inner JSON, or a tampered form, is refused", async () => {
    const form = `payload=${encodeURIComponent(json)}`;
    const overJson = await delivery(form, { "x-hub-signature-256": await sign(SECRET, json) });
    expect(await rejection(verifier.verify(overJson, 0))).toMatchObject({ code: "bad_signature" });

    const good = await delivery(form);
    const tampered = new TextEncoder().encode(form.replace("%22number%22%3A7", "%22number%22%3A8"));
    expect(tampered).not.toEqual(good.body);
    expect(await rejection(verifier.verify({ headers: good.headers, body: tampered }, 0))).toMatchObject({
      code: "bad_signature",
    });
    // An extra field appended after signing changes the bytes too.
    const appended = new TextEncoder().encode(`${form}&payload=%7B%7D`);
    expect(await rejection(verifier.verify({ headers: good.headers, body: appended }, 0))).toMatchObject({
      code: "bad_signature",
    });
  });

  it.each([
    ["no payload field", "other=1", "The form body has no payload field"],
    ["a payload that is not JSON", "payload=%7Bnope", "The form body's payload field is not JSON"],
  ])("refuses a signed form with %s as not_json (400, not retried)", async (_name, form, message) => {
    expect(await rejection(verifier.verify(await delivery(form), 0))).toEqual({ code: "not_json", message });
  });

  it("keeps the depth bound on the JSON taken out of the form", async () => {
    const deep = `${"[".repeat(100)}${"]".repeat(100)}`;
    const inbox = new MemoryWebhookInbox();
    const { headers, body } = await delivery(`payload=${encodeURIComponent(deep)}`);
    expect(await handleWebhook({ verifier, inbox, maxJsonDepth: 64 }, headers, body)).toEqual({
      status: 400,
      body: { ok: false, error: "not_json" },
    });
    expect(await inbox.pending()).toEqual([]);
  });
});
