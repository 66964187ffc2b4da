import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { IntegrationError } from "@autoflow/core";
import { Agent, fetch as undiciFetch } from "undici";
import { EgressDeniedError } from "./egress-denied";
import {
  DEFAULT_MAX_REDIRECTS,
  DEFAULT_MAX_RESPONSE_BYTES,
  type EgressPolicy,
  hostListed,
  isIpLiteral,
  refusal,
} from "./egress-policy";

/** A DNS lookup as `node:dns` has it (injectable: tests answer a private address for a public name). */
export type EgressLookup = (
  hostname: string,
  options: LookupOptions & { all: true },
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

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

const agents = new WeakMap<object, Agent>();

/** One agent per policy (and lookup): its connections are reused, and every connect resolves through the check. */
function agentFor(policy: EgressPolicy, lookup: EgressLookup): Agent {
  let agent = agents.get(policy);
  if (!agent) {
    agent = new Agent({
      connect: {
        // Checked at connect time, on the addresses actually dialled: a name that resolves inside (or that
        // is rebound to an inside address after a first check) is refused.
        lookup: (hostname, options, callback) => {
          lookup(hostname, { ...(options as LookupOptions), all: true }, (error, addresses) => {
            if (error) return callback(error, "", 4);
            const denied = hostListed(hostname, policy.allow)
              ? undefined
              : addresses.map((a) => refusal(a.address, policy, hostname)).find((why) => why !== undefined);
            if (denied) return callback(new EgressDeniedError(`${hostname}: ${denied}`), "", 4);
            const first = addresses[0];
            if (!first)
              return callback(
                Object.assign(new Error(`${hostname} did not resolve`), { code: "ENOTFOUND" }),
                "",
                4,
              );
            if ((options as { all?: boolean }).all)
              return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
            return callback(null, first.address, first.family);
          });
        },
      },
    });
    agents.set(policy, agent);
  }
  return agent;
}

function denied(message: string): IntegrationError {
  return new IntegrationError({
    type: "schema",
    provider: "http",
    reason: "egress_denied",
    code: "egress_denied",
    message: `Refused by the egress policy: ${message} (an operator can allow it with AUTOFLOW_EGRESS_ALLOW)`,
  });
}

/** Checks a URL before any connection: http(s) only, and an IP literal or a listed name against the policy. */
function checkUrl(url: URL, policy: EgressPolicy): void {
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw denied(`${url.protocol} URLs are not sent`);
  const host = url.hostname;
  if (hostListed(host, policy.deny)) throw denied(`${host} is on the deny-list`);
  if (isIpLiteral(host)) {
    const why = refusal(host, policy);
    if (why) throw denied(why);
  }
}

async function readCapped(response: Response, maxBytes: number, url: string): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length"));
  const tooLarge = () =>
    new IntegrationError({
      type: "schema",
      provider: "http",
      reason: "response_too_large",
      code: "response_too_large",
      message: `${url} answered more than ${maxBytes} bytes; the step reads at most that`,
    });
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      await response.body.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
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
      checkUrl(url, policy);
      let response: Response;
      try {
        response = options.fetch
          ? await options.fetch(url, { ...request, redirect: "manual", signal: deadline.signal })
          : ((await undiciFetch(url, {
              ...(request as object),
              redirect: "manual",
              signal: deadline.signal,
              dispatcher: agentFor(policy, options.lookup ?? (dnsLookup as unknown as EgressLookup)),
            })) as unknown as Response);
      } catch (error) {
        const egress = EgressDeniedError.find(error);
        if (egress) throw denied(egress.message);
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
      if (hop >= maxRedirects) throw denied(`more than ${maxRedirects} redirects from ${input}`);
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
