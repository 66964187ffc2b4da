import { exchange, type IncomingAnswer, type OutgoingRequest } from "./http-exchange";
import { DEFAULT_MAX_RESPONSE_BYTES, readBoundedResponse } from "./response-limit";

type FetchInput = Parameters<typeof fetch>[0];

const MAX_REDIRECTS = 20;
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
// fetch upper-cases these methods and sends any other as written (`patch` stays `patch`).
const NORMALIZED_METHODS: ReadonlySet<string> = new Set(["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"]);
// The headers that describe a body, dropped with it when a redirect turns the request into a GET.
const BODY_HEADERS = ["content-encoding", "content-language", "content-location", "content-type"];
// Headers that would change how the request is framed on the wire: Node's fetch refuses them, and so does this.
const REFUSED_HEADERS: ReadonlyMap<string, { code: string; message: string }> = new Map([
  ["transfer-encoding", { code: "UND_ERR_INVALID_ARG", message: "invalid transfer-encoding header" }],
  ["keep-alive", { code: "UND_ERR_INVALID_ARG", message: "invalid keep-alive header" }],
  ["upgrade", { code: "UND_ERR_INVALID_ARG", message: "invalid upgrade header" }],
  ["expect", { code: "UND_ERR_NOT_SUPPORTED", message: "expect header not supported" }],
]);
// The credentials fetch drops before following a redirect to another origin.
const CREDENTIAL_HEADERS = ["authorization", "proxy-authorization", "cookie", "host"];

/**
 * `fetch` on node:http(s), for the provider kit's deadline fetch (which reads every answer in full anyway): the
 * answer is returned with its body already read and decoded. Why not the global fetch: undici registers every
 * request's abort controller and every response's body stream with a `FinalizationRegistry` behind `WeakRef`s,
 * which V8's young-generation GCs treat as strong, so each request's objects, and the run whose async context
 * they carry, are promoted to the old generation and wait there for a full GC. A worker of one-task runs
 * promoted about 28 KiB per run and settled at about 320 MiB RSS on the global fetch; on this, about 1 KiB and
 * 230 MiB (bench section 7), and each call is 15-20% faster.
 *
 * It behaves as Node's fetch does for what SDKs send: any body fetch takes (read in full before sending), the
 * default `accept`, `accept-encoding` and `user-agent`, gzip/deflate/br answers decoded, redirects followed as
 * the Fetch standard says (20 at most; `manual` hands the 3xx back, as Node's fetch does; `error` fails), the
 * credentials dropped on a redirect to another origin, and the same errors. A request naming an undici
 * `dispatcher`, a URL that is not http(s), or any request on a Node without `process.getBuiltinModule` (before
 * 22.3) goes to the global fetch, its answer read in full here too. Unlike Node's fetch, an answer's body
 * (decoded) is bounded: `DEFAULT_MAX_RESPONSE_BYTES`, or `createNodeHttpFetch`'s `maxResponseBytes`; over it,
 * the request fails with `ResponseTooLargeError`.
 */
export const nodeHttpFetch: typeof fetch = createNodeHttpFetch();

/** Options for `createNodeHttpFetch`. */
export interface NodeHttpFetchOptions {
  /** The most bytes of one answer's body (decoded) read before the request fails. Default 64 MiB. */
  maxResponseBytes?: number | undefined;
}

/** `nodeHttpFetch` with its own bound on an answer's size. */
export function createNodeHttpFetch(options: NodeHttpFetchOptions = {}): typeof fetch {
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  return (input, init) => send(input, init, maxBytes);
}

/** The URL a fetch input names: a Request's, a URL's, or the string itself. */
export function fetchInputUrl(input: FetchInput): string {
  return input instanceof Request ? input.url : input instanceof URL ? input.href : String(input);
}

async function send(input: FetchInput, init: RequestInit | undefined, maxBytes: number): Promise<Response> {
  const request = input instanceof Request ? input : undefined;
  const url = new URL(fetchInputUrl(input));
  // Node before 22.3 has no `getBuiltinModule`, which keeps node:http(s) off the import path (core's cold start).
  const noBuiltinLoader = typeof process.getBuiltinModule !== "function";
  if (
    noBuiltinLoader ||
    (init && "dispatcher" in init) ||
    (url.protocol !== "http:" && url.protocol !== "https:")
  ) {
    return readBoundedResponse(await fetch(input, init), maxBytes, url.href);
  }
  const signal = init?.signal !== undefined ? init.signal : request?.signal;
  const redirect = init?.redirect ?? request?.redirect ?? "follow";
  let outgoing = await outgoingRequest(url, request, init);
  for (let redirects = 0; ; redirects++) {
    const answer = await exchange(outgoing, signal, maxBytes);
    const location = answer.headers.get("location");
    if (!REDIRECT_STATUSES.has(answer.status) || location === null || redirect === "manual") {
      return toResponse(answer, outgoing.url, redirects > 0);
    }
    if (redirect === "error") {
      throw new TypeError("fetch failed", { cause: new Error("unexpected redirect") });
    }
    if (redirects === MAX_REDIRECTS) {
      throw new TypeError("fetch failed", { cause: new Error("redirect count exceeded") });
    }
    outgoing = redirected(outgoing, answer.status, new URL(location, outgoing.url));
  }
}

/** The request as fetch would send it: its method normalised, its default headers, its body read in full. */
async function outgoingRequest(
  url: URL,
  request: Request | undefined,
  init: RequestInit | undefined,
): Promise<OutgoingRequest> {
  const asked = init?.method ?? request?.method ?? "GET";
  const method = NORMALIZED_METHODS.has(asked.toUpperCase()) ? asked.toUpperCase() : asked;
  const headers = new Headers(init?.headers ?? request?.headers);
  const body = await bodyBytes(
    init?.body !== undefined ? init.body : request?.body ? request : null,
    headers,
  );
  if (body !== undefined && (method === "GET" || method === "HEAD")) {
    throw new TypeError("Request with GET/HEAD method cannot have body.");
  }
  checkFraming(headers, body);
  if (!headers.has("accept")) headers.set("accept", "*/*");
  if (!headers.has("accept-encoding")) {
    headers.set("accept-encoding", url.protocol === "https:" ? "br, gzip, deflate" : "gzip, deflate");
  }
  if (!headers.has("user-agent")) headers.set("user-agent", "node");
  return { url, method, headers, body };
}

/**
 * The headers that frame the request, as Node's fetch takes them: `transfer-encoding`, `keep-alive`, `upgrade` and
 * `expect` fail the request (sent beside the `content-length` this sets, a `transfer-encoding` would frame the body
 * two ways, which is how requests are smuggled past proxies); a `content-length` that is not the body's fails it;
 * `host` is the URL's, and `connection` is kept only as `close`.
 */
function checkFraming(headers: Headers, body: Uint8Array | undefined): void {
  for (const [name, refusal] of REFUSED_HEADERS) {
    if (headers.has(name)) {
      throw new TypeError("fetch failed", {
        cause: Object.assign(new Error(refusal.message), { code: refusal.code }),
      });
    }
  }
  const length = headers.get("content-length");
  if (length !== null && Number(length) !== (body?.byteLength ?? 0)) {
    throw new TypeError("fetch failed", {
      cause: Object.assign(new Error("Request body length does not match content-length header"), {
        code: "UND_ERR_REQ_CONTENT_LENGTH_MISMATCH",
      }),
    });
  }
  headers.delete("content-length");
  headers.delete("host");
  if (headers.get("connection")?.toLowerCase() !== "close") headers.delete("connection");
}

/**
 * A body's bytes, and its content type when the request names none (as fetch sets it for text, form data,
 * search params and blobs). Strings and bytes are taken as they are; anything else fetch takes (a FormData, a
 * Blob, a stream, a Request's own body) is read through a Response, which encodes it as fetch would.
 */
async function bodyBytes(
  source: RequestInit["body"] | Request,
  headers: Headers,
): Promise<Uint8Array | undefined> {
  if (source === null || source === undefined) return undefined;
  if (typeof source === "string") {
    if (!headers.has("content-type")) headers.set("content-type", "text/plain;charset=UTF-8");
    return Buffer.from(source);
  }
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  const encoded = source instanceof Request ? source : new Response(source);
  const type = encoded.headers.get("content-type");
  if (type !== null && !headers.has("content-type")) headers.set("content-type", type);
  return new Uint8Array(await encoded.arrayBuffer());
}

/**
 * The request a redirect asks for (Fetch standard, "HTTP-redirect fetch"): a 303, or a 301/302 after a POST,
 * becomes a GET without its body; a redirect to another origin drops the credentials.
 */
function redirected(previous: OutgoingRequest, status: number, url: URL): OutgoingRequest {
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError("fetch failed", { cause: new Error(`redirect to a ${url.protocol} URL`) });
  }
  const headers = new Headers(previous.headers);
  let { method, body } = previous;
  if ((status === 303 && method !== "HEAD") || ((status === 301 || status === 302) && method === "POST")) {
    method = "GET";
    body = undefined;
    for (const name of BODY_HEADERS) headers.delete(name);
  }
  if (url.origin !== previous.url.origin) for (const name of CREDENTIAL_HEADERS) headers.delete(name);
  return { url, method, headers, body };
}

/** The answer as a fetch Response: `url` is where it came from after redirects, `redirected` whether any were. */
function toResponse(answer: IncomingAnswer, url: URL, wasRedirected: boolean): Response {
  if (answer.status < 200 || answer.status > 599) {
    throw new TypeError("fetch failed", { cause: new Error(`unexpected status ${answer.status}`) });
  }
  const response = new Response(answer.body, {
    status: answer.status,
    statusText: answer.statusText,
    headers: answer.headers,
  });
  Object.defineProperties(response, { url: { value: url.href }, redirected: { value: wasRedirected } });
  return response;
}
