import { IntegrationError } from "../errors";

/**
 * How many bytes of one answer's body (decoded) a provider's SDK may be handed, unless its options say
 * otherwise. The kit's fetch holds every answer in memory before the SDK sees it, so without a bound one huge
 * or decompression-bomb answer (a few MiB of gzip that inflate to gigabytes) could take the whole worker down.
 * Generous on purpose: a task's output is cut to 4 MiB anyway, and a callback that really streams archives or
 * attachments through the SDK raises it (`maxResponseBytes`).
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/**
 * The kit's fetch refused an answer whose body is over its bound (`maxResponseBytes`). The request was sent and
 * answered, so it is final: the kit's error mapper makes it a `schema` error with `reason: "response_too_large"`,
 * never retried (a write may have happened; repeating it would not make the answer smaller).
 */
export class ResponseTooLargeError extends Error {
  override readonly name = "ResponseTooLargeError";
  readonly code = "response_too_large";

  constructor(
    /** Where the answer came from, without its query (which may carry a key). */
    readonly url: string,
    readonly status: number,
    readonly maxBytes: number,
  ) {
    super(
      `The answer from ${url} (status ${status}) is larger than ${maxBytes} bytes, the integration's maxResponseBytes`,
    );
  }
}

/**
 * The refusal `error` is or wraps (through `wrappedBy`, 5 deep, as SDKs wrap their fetch's errors) as the
 * taxonomy reads it: `schema`, `reason: "response_too_large"`, `error` as its cause. Read by name and code, not
 * `instanceof`, so a refusal from another copy of core (CommonJS beside ESM) is found too.
 */
export function responseTooLargeError(
  error: unknown,
  provider: string,
  wrappedBy: readonly string[] = ["cause"],
): IntegrationError | undefined {
  let current = error;
  for (let depth = 0; depth <= 5; depth++) {
    if (typeof current !== "object" || current === null) return undefined;
    const fields = current as Record<string, unknown>;
    if (fields.name === "ResponseTooLargeError" && fields.code === "response_too_large") {
      return new IntegrationError({
        type: "schema",
        provider,
        reason: "response_too_large",
        code: "response_too_large",
        message: String(fields.message),
        cause: error,
      });
    }
    current = fields[wrappedBy.find((key) => typeof fields[key] === "object" && fields[key] !== null) ?? ""];
  }
  return undefined;
}

/** `url` as an error may name it: origin and path, no query or credentials. */
export function urlForErrors(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/**
 * Whether an answer's `content-length` already says it is over `maxBytes`, before a byte of it is read. Only for
 * an answer sent as it is: a declared length is of the encoded body, and the bound is on the decoded one.
 */
export function declaredTooLarge(headers: Headers, maxBytes: number): boolean {
  if (headers.has("content-encoding")) return false;
  return Number(headers.get("content-length") ?? Number.NaN) > maxBytes;
}

/**
 * `response` with its body read in full, at most `maxBytes` of it: the answer a custom fetch (or the global one)
 * gave, bounded as the kit's own fetch bounds it. `requestUrl` names it when the response has no `url`.
 */
export async function readBoundedResponse(
  response: Response,
  maxBytes: number,
  requestUrl: string,
): Promise<Response> {
  const tooLarge = () =>
    new ResponseTooLargeError(urlForErrors(new URL(response.url || requestUrl)), response.status, maxBytes);
  let body: Uint8Array | null = null;
  // A status that carries no body (204, 304, a HEAD's answer) has a null `body`.
  if (response.body) {
    if (declaredTooLarge(response.headers, maxBytes)) {
      await response.body.cancel().catch(() => {});
      throw tooLarge();
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    // Leaving the loop by a throw cancels the stream, which closes the connection.
    for await (const chunk of response.body) {
      size += chunk.byteLength;
      if (size > maxBytes) throw tooLarge();
      chunks.push(chunk);
    }
    body = Buffer.concat(chunks);
  }
  const buffered = new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  Object.defineProperties(buffered, {
    url: { value: response.url },
    redirected: { value: response.redirected },
  });
  return buffered;
}
