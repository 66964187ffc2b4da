import { IntegrationError, ResponseTooLargeError, readBoundedResponse } from "@autoflow/core";
import { fetch as undiciFetch } from "undici";
import { checkedAgent, type EgressLookup } from "./checked-agent";
import { EgressDeniedError } from "./egress-denied";
import { DEFAULT_MAX_REDIRECTS, DEFAULT_MAX_RESPONSE_BYTES, type EgressPolicy } from "./egress-policy";
import { checkRequestUrl, egressDeniedError } from "./request-url-check";

/** What one request needs besides its URL and init. */
export interface EgressRequestOptions {
  policy: EgressPolicy;
  timeoutMs: number;
  /** Default `node:dns` lookup. */
  lookup?: EgressLookup;
  /** A custom fetch instead of the checked agent (a proxy, a recorder): only the URL checks then apply. */
  fetch?: typeof fetch;
  /** Header names that carry the step's credential: dropped when a redirect leaves the origin. */
  credentialHeaders?: readonly string[];
}

/** The answer, its body read (within the size cap). */
export interface EgressResponse {
  status: number;
  headers: Headers;
  body: Uint8Array;
  url: string;
}

/** The answer's body, read up to the cap by core's bounded reader; over it, the step's own `response_too_large`. */
async function readCapped(response: Response, maxBytes: number, url: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await (await readBoundedResponse(response, maxBytes, url)).arrayBuffer());
  } catch (error) {
    if (!(error instanceof ResponseTooLargeError)) throw error;
    throw new IntegrationError({
      type: "schema",
      provider: "http",
      reason: "response_too_large",
      code: "response_too_large",
      message: `${url} answered more than ${maxBytes} bytes; the step reads at most that`,
    });
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Sends a request a user aimed, under the egress policy: http(s) only, no destination inside (checked on the
 * URL and again on every resolved address at connect time), redirects followed by hand with each hop
 * checked and the credential dropped when the origin changes, the answer read up to the size cap, the
 * whole exchange within `timeoutMs`. A refused destination or an oversized answer is a `schema` error with
 * `reason` `egress_denied` / `response_too_large`: permanent for that request, never retried.
 */
export async function egressFetch(
  input: string,
  init: RequestInit,
  options: EgressRequestOptions,
): Promise<EgressResponse> {
  const { policy } = options;
  const maxRedirects = policy.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const deadline = new AbortController();
  const timer = setTimeout(
    () => deadline.abort(new DOMException(`No answer within ${options.timeoutMs} ms`, "TimeoutError")),
    options.timeoutMs,
  );
  try {
    let url = new URL(input);
    let request: RequestInit = init;
    for (let hop = 0; ; hop++) {
      checkRequestUrl(url, policy);
      let response: Response;
      try {
        response = options.fetch
          ? await options.fetch(url, { ...request, redirect: "manual", signal: deadline.signal })
          : ((await undiciFetch(url, {
              ...(request as object),
              redirect: "manual",
              signal: deadline.signal,
              dispatcher: checkedAgent(policy, options.lookup),
            })) as unknown as Response);
      } catch (error) {
        const egress = EgressDeniedError.find(error);
        if (egress) throw egressDeniedError(egress.message);
        throw error;
      }
      const location = response.headers.get("location");
      if (!REDIRECTS.has(response.status) || location === null) {
        const body = await readCapped(
          response,
          policy.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
          url.href,
        );
        return { status: response.status, headers: response.headers, body, url: url.href };
      }
      await response.body?.cancel().catch(() => {});
      if (hop >= maxRedirects) throw egressDeniedError(`more than ${maxRedirects} redirects from ${input}`);
      const next = new URL(location, url);
      // A 303, and a 301/302 after a POST, turn into a GET without a body, as browsers do.
      const toGet =
        response.status === 303 ||
        ((response.status === 301 || response.status === 302) && request.method === "POST");
      const headers = new Headers(request.headers);
      if (next.origin !== url.origin)
        for (const name of options.credentialHeaders ?? []) headers.delete(name);
      if (toGet) headers.delete("content-type");
      request = { ...request, headers, ...(toGet && { method: "GET", body: undefined }) };
      url = next;
    }
  } finally {
    clearTimeout(timer);
  }
}
