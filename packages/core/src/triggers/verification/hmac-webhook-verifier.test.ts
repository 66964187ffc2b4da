import { createHmac } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import type { Json } from "../../json";
import { handleWebhook } from "../webhook-handler";
import { MemoryWebhookInbox } from "../webhook-inbox";
import { type VerifiedWebhook, WebhookRejection, type WebhookVerifier } from "../webhook-verifier";
import { createHmacWebhookVerifier, type HmacWebhookVerifierOptions } from "./hmac-webhook-verifier";

// A fixed "now" far from the wall clock: a verifier that read the clock would refuse every timestamp here.
const NOW = 1_500_000_000_000;
const NOW_S = NOW / 1000;
const SECRET = "first-secret";
const NEXT = "second-secret";
const BODY = JSON.stringify({ id: "evt_1", type: "thing.created" });

const hmac = (secret: string, content: string, algorithm = "sha256", encoding: "hex" | "base64" = "hex") =>
  createHmac(algorithm, secret).update(content).digest(encoding);

// These verifiers answer synchronously (the webhook intake relies on it): a promise here fails the test.
function sync(result: VerifiedWebhook | Promise<VerifiedWebhook>): VerifiedWebhook {
  if (result instanceof Promise) throw new Error("verify answered with a promise");
  return result;
}

const toDelivery = (json: Json): VerifiedWebhook => {
  const { id, type } = json as { id: string; type: string };
  return { kind: "delivery", delivery: { provider: "test", deliveryId: id, event: type, payload: json } };
};

const request = (headers: Record<string, string>, body = BODY) => ({
  headers: new Headers(headers),
  body: new TextEncoder().encode(body),
});

// Throws whatever `verify` throws, so a RangeError would surface as itself rather than as a rejection.
function rejection(verifier: WebhookVerifier, req: { headers: Headers; body: Uint8Array }, now = NOW) {
  try {
    verifier.verify(req, now);
  } catch (error) {
    if (WebhookRejection.isInstance(error)) return error.code;
    throw error;
  }
  throw new Error("accepted");
}

// A body-only signature: `X-Hub-Signature-256: sha256=<hex>` over the raw body.
const bodyOnly = (extra: Partial<HmacWebhookVerifierOptions> = {}) =>
  createHmacWebhookVerifier({
    provider: "test",
    secrets: [SECRET],
    signatureHeader: "X-Signature",
    signaturePrefix: "sha256=",
    toDelivery,
    ...extra,
  } as HmacWebhookVerifierOptions);

// A timestamped signature: `v0=` + HMAC of `v0:{timestamp}:{body}`, timestamp in its own header.
const timestamped = (toleranceSeconds?: number) =>
  createHmacWebhookVerifier({
    provider: "test",
    secrets: [SECRET],
    signatureHeader: "X-Sig",
    signaturePrefix: "v0=",
    timestamp: { header: "X-Timestamp", unit: "seconds", ...(toleranceSeconds && { toleranceSeconds }) },
    signedContent: ({ body, timestamp }) => Buffer.concat([Buffer.from(`v0:${timestamp}:`), body]),
    toDelivery,
  });
const timestampedRequest = (timestamp: number, body = BODY, secret = SECRET) =>
  request(
    { "x-sig": `v0=${hmac(secret, `v0:${timestamp}:${body}`)}`, "x-timestamp": String(timestamp) },
    body,
  );

// A stamped shape: `Acme-Signature: t=..,v1=..,v1=..`, HMAC of `{t}.{body}`.
const stamped = createHmacWebhookVerifier({
  provider: "acme",
  secrets: [SECRET],
  signatureHeader: "Acme-Signature",
  signaturePrefix: "v1=",
  parseSignature: (value) => value.split(","),
  timestamp: {
    read: (_headers, value) =>
      value
        ?.split(",")
        .find((part) => part.startsWith("t="))
        ?.slice(2),
    unit: "seconds",
  },
  signedContent: ({ body, timestamp }) => Buffer.concat([Buffer.from(`${timestamp}.`), body]),
  toDelivery,
});
const stampedSignature = (secret = SECRET, t = NOW_S) => `v1=${hmac(secret, `${t}.${BODY}`)}`;

describe("createHmacWebhookVerifier", () => {
  it("accepts a body signed with the secret and hands the parsed JSON and headers to toDelivery", () => {
    const seen = vi.fn(toDelivery);
    const verifier = bodyOnly({ toDelivery: seen });
    const req = request({ "x-signature": `sha256=${hmac(SECRET, BODY)}` });
    expect(sync(verifier.verify(req, NOW))).toEqual(toDelivery(JSON.parse(BODY)));
    expect(seen).toHaveBeenCalledWith(JSON.parse(BODY), req.headers);
    expect(verifier.provider).toBe("test");
  });

  it("accepts the second secret during a rotation, and neither a third nor the first once it is dropped", () => {
    const rotating = bodyOnly({ secrets: [SECRET, NEXT] });
    for (const secret of [SECRET, NEXT]) {
      expect(
        sync(rotating.verify(request({ "x-signature": `sha256=${hmac(secret, BODY)}` }), NOW)).kind,
      ).toBe("delivery");
    }
    expect(rejection(rotating, request({ "x-signature": `sha256=${hmac("third", BODY)}` }))).toBe(
      "bad_signature",
    );
    const rotated = bodyOnly({ secrets: [NEXT] });
    expect(rejection(rotated, request({ "x-signature": `sha256=${hmac(SECRET, BODY)}` }))).toBe(
      "bad_signature",
    );
  });

  it("refuses a valid signature for another body", () => {
    const other = JSON.stringify({ id: "evt_2", type: "thing.deleted" });
    expect(rejection(bodyOnly(), request({ "x-signature": `sha256=${hmac(SECRET, other)}` }))).toBe(
      "bad_signature",
    );
  });

  it("refuses to be built without a secret, or with an empty one", () => {
    expect(() => bodyOnly({ secrets: [] })).toThrow(/`secrets` needs at least one secret/);
    expect(() => bodyOnly({ secrets: [SECRET, ""] })).toThrow(TypeError);
  });

  it.each([
    ["a digest one hex digit short", `sha256=${hmac(SECRET, BODY).slice(0, -1)}`],
    ["a digest one byte long", "sha256=ab"],
    ["a digest twice as long", `sha256=${hmac(SECRET, BODY).repeat(2)}`],
    ["a sha1 digest", `sha256=${hmac(SECRET, BODY, "sha1")}`],
    ["uppercase hex", `sha256=${hmac(SECRET, BODY).toUpperCase()}`],
    ["no prefix", hmac(SECRET, BODY)],
  ])("refuses %s as malformed, never with a RangeError", (_name, signature) => {
    expect(rejection(bodyOnly(), request({ "x-signature": signature }))).toBe("malformed_signature");
  });

  it("refuses a custom reader's candidate of another length without throwing", () => {
    const verifier = createHmacWebhookVerifier({
      provider: "test",
      secrets: [SECRET],
      signature: (headers) => headers.get("x-raw")?.split(" "),
      toDelivery,
    });
    const good = hmac(SECRET, BODY);
    expect(rejection(verifier, request({ "x-raw": good.slice(2) }))).toBe("malformed_signature");
    expect(rejection(verifier, request({}))).toBe("missing_signature");
    // A short candidate beside a good one is skipped, not fatal.
    expect(sync(verifier.verify(request({ "x-raw": `abcd ${good}` }), NOW)).kind).toBe("delivery");
  });

  it("checks the signature before parsing: a non-JSON body is 401 with a bad signature, 400 with a good one", async () => {
    const seen = vi.fn(toDelivery);
    const verifier = bodyOnly({ toDelivery: seen });
    const intake = (signature: string) =>
      handleWebhook(
        { verifier, inbox: new MemoryWebhookInbox(), now: () => NOW },
        new Headers({ "x-signature": signature }),
        new TextEncoder().encode("not json"),
      );
    expect(await intake(`sha256=${"0".repeat(64)}`)).toEqual({
      status: 401,
      body: { ok: false, error: "bad_signature" },
    });
    expect(await intake(`sha256=${hmac(SECRET, "not json")}`)).toEqual({
      status: 400,
      body: { ok: false, error: "not_json" },
    });
    expect(seen).not.toHaveBeenCalled();
  });

  it("refuses a body over maxBodyBytes before looking at the signature", () => {
    const verifier = bodyOnly({ maxBodyBytes: BODY.length - 1 });
    expect(rejection(verifier, request({}))).toBe("too_large");
    const atLimit = bodyOnly({ maxBodyBytes: BODY.length });
    expect(sync(atLimit.verify(request({ "x-signature": `sha256=${hmac(SECRET, BODY)}` }), NOW)).kind).toBe(
      "delivery",
    );
  });

  it("reads the JSON with readJson, on the verified bytes and only after the signature matched", () => {
    // A wrapped body, as a form-encoded provider sends it: the signature covers the wrapper, not the JSON.
    const wrapped = `payload=${encodeURIComponent(BODY)}`;
    const readJson = vi.fn(
      (body: Uint8Array) =>
        JSON.parse(new URLSearchParams(new TextDecoder().decode(body)).get("payload") ?? "") as Json,
    );
    const verifier = bodyOnly({ readJson });
    expect(rejection(verifier, request({ "x-signature": `sha256=${hmac(SECRET, BODY)}` }, wrapped))).toBe(
      "bad_signature",
    );
    expect(readJson).not.toHaveBeenCalled();
    const signed = request({ "x-signature": `sha256=${hmac(SECRET, wrapped)}` }, wrapped);
    expect(sync(verifier.verify(signed, NOW))).toEqual(toDelivery(JSON.parse(BODY)));
    expect(readJson).toHaveBeenCalledWith(signed.body, signed.headers);
  });

  it("passes a direct answer from toDelivery through (a URL-verification challenge)", () => {
    const verifier = bodyOnly({
      toDelivery: () => ({ kind: "respond", status: 200, body: { challenge: "c" } }),
    });
    expect(sync(verifier.verify(request({ "x-signature": `sha256=${hmac(SECRET, BODY)}` }), NOW))).toEqual({
      kind: "respond",
      status: 200,
      body: { challenge: "c" },
    });
  });

  it.each([
    ["sha1", "hex"],
    ["sha512", "hex"],
    ["sha256", "base64"],
    ["sha512", "base64"],
  ] as const)(
    "verifies %s digests written in %s, and refuses them under another algorithm",
    (algorithm, encoding) => {
      const verifier = createHmacWebhookVerifier({
        provider: "test",
        secrets: [SECRET],
        algorithm,
        encoding,
        signatureHeader: "X-Signature",
        toDelivery,
      });
      const signature = hmac(SECRET, BODY, algorithm, encoding);
      expect(sync(verifier.verify(request({ "x-signature": signature }), NOW)).kind).toBe("delivery");
      const wrongLength = hmac(SECRET, BODY, algorithm === "sha512" ? "sha256" : "sha512", encoding);
      expect(rejection(verifier, request({ "x-signature": wrongLength }))).toBe("malformed_signature");
      const forged = hmac("other", BODY, algorithm, encoding);
      expect(rejection(verifier, request({ "x-signature": forged }))).toBe("bad_signature");
    },
  );

  it("refuses base64 that is not base64", () => {
    const verifier = createHmacWebhookVerifier({
      provider: "test",
      secrets: [SECRET],
      encoding: "base64",
      signatureHeader: "X-Signature",
      toDelivery,
    });
    const signature = hmac(SECRET, BODY, "sha256", "base64");
    expect(rejection(verifier, request({ "x-signature": `${signature.slice(0, -2)}!=` }))).toBe(
      "malformed_signature",
    );
  });

  describe("with a signed timestamp", () => {
    it("accepts a timestamp exactly at the tolerance either way, and refuses one a second further", () => {
      const verifier = timestamped();
      for (const t of [NOW_S - 300, NOW_S + 300])
        expect(sync(verifier.verify(timestampedRequest(t), NOW)).kind).toBe("delivery");
      for (const t of [NOW_S - 301, NOW_S + 301])
        expect(rejection(verifier, timestampedRequest(t))).toBe("stale_timestamp");
    });

    it("honours a custom tolerance, and checks it before the HMAC", () => {
      const strict = timestamped(30);
      expect(sync(strict.verify(timestampedRequest(NOW_S - 30), NOW)).kind).toBe("delivery");
      expect(rejection(strict, timestampedRequest(NOW_S - 31))).toBe("stale_timestamp");
      // A replay with a forged signature is refused as stale: the HMAC is never computed for it.
      expect(rejection(strict, timestampedRequest(NOW_S - 60, BODY, "wrong"))).toBe("stale_timestamp");
    });

    it("counts milliseconds when told to", () => {
      const verifier = createHmacWebhookVerifier({
        provider: "test",
        secrets: [SECRET],
        signatureHeader: "X-Sig",
        timestamp: { header: "X-Timestamp", unit: "milliseconds", toleranceSeconds: 10 },
        signedContent: ({ body, timestamp }) => `${timestamp}:${new TextDecoder().decode(body)}`,
        toDelivery,
      });
      const at = (t: number) => request({ "x-sig": hmac(SECRET, `${t}:${BODY}`), "x-timestamp": String(t) });
      expect(sync(verifier.verify(at(NOW - 10_000), NOW)).kind).toBe("delivery");
      expect(rejection(verifier, at(NOW - 10_001))).toBe("stale_timestamp");
    });

    it("refuses a signature made for another timestamp", () => {
      const req = timestampedRequest(NOW_S);
      req.headers.set("x-timestamp", String(NOW_S - 1));
      expect(rejection(timestamped(), req)).toBe("bad_signature");
    });

    it.each([
      ["no timestamp", { "x-sig": `v0=${"0".repeat(64)}` }, "missing_signature"],
      ["no signature", { "x-timestamp": String(NOW_S) }, "missing_signature"],
      [
        "a timestamp that is not a number",
        { "x-sig": `v0=${"0".repeat(64)}`, "x-timestamp": "yesterday" },
        "malformed_signature",
      ],
      [
        "a timestamp with 13 digits of seconds",
        { "x-sig": `v0=${"0".repeat(64)}`, "x-timestamp": String(NOW) },
        "malformed_signature",
      ],
      [
        "a v1 signature",
        { "x-sig": `v1=${"0".repeat(64)}`, "x-timestamp": String(NOW_S) },
        "malformed_signature",
      ],
    ])("refuses %s", (_name, headers, code) => {
      expect(rejection(timestamped(), request(headers))).toBe(code);
    });
  });

  describe("with several candidate signatures in one header (t=..,v1=..)", () => {
    it("accepts when any v1 candidate matches, wherever it is in the list", () => {
      const good = stampedSignature();
      const wrong = stampedSignature("old-secret");
      for (const value of [
        `t=${NOW_S},${good}`,
        `t=${NOW_S},${wrong},${good}`,
        `t=${NOW_S},${good},${wrong},v0=${"0".repeat(64)}`,
      ]) {
        expect(sync(stamped.verify(request({ "acme-signature": value }), NOW)).kind).toBe("delivery");
      }
    });

    it("refuses when no v1 candidate matches, when there is none, and when t= is missing or stale", () => {
      const wrong = stampedSignature("old-secret");
      expect(
        rejection(stamped, request({ "acme-signature": `t=${NOW_S},${wrong},v1=${"1".repeat(64)}` })),
      ).toBe("bad_signature");
      expect(
        rejection(
          stamped,
          request({ "acme-signature": `t=${NOW_S},v0=${hmac(SECRET, `${NOW_S}.${BODY}`)}` }),
        ),
      ).toBe("malformed_signature");
      expect(rejection(stamped, request({ "acme-signature": stampedSignature() }))).toBe("missing_signature");
      const old = NOW_S - 301;
      expect(
        rejection(stamped, request({ "acme-signature": `t=${old},${stampedSignature(SECRET, old)}` })),
      ).toBe("stale_timestamp");
    });

    it("tries every secret against every candidate (rotation on both sides)", () => {
      const rotating = createHmacWebhookVerifier({
        provider: "acme",
        secrets: ["old-secret", SECRET],
        signatureHeader: "Acme-Signature",
        signaturePrefix: "v1=",
        parseSignature: (value) => value.split(","),
        signedContent: ({ body }) => Buffer.concat([Buffer.from(`${NOW_S}.`), body]),
        toDelivery,
      });
      const value = `t=${NOW_S},v1=${"2".repeat(64)},${stampedSignature(SECRET)}`;
      expect(sync(rotating.verify(request({ "acme-signature": value }), NOW)).kind).toBe("delivery");
    });
  });

  it("lets signedContent refuse content the provider never signs", () => {
    const verifier = bodyOnly({
      signedContent: ({ body }) => {
        if (body.byteLength === 0) throw new WebhookRejection("bad_signature", "empty");
        return body;
      },
    });
    expect(rejection(verifier, request({ "x-signature": `sha256=${hmac(SECRET, "")}` }, ""))).toBe(
      "bad_signature",
    );
  });
});
