import type { IncomingMessage } from "node:http";
import type { Readable, Transform } from "node:stream";
import { declaredTooLarge, ResponseTooLargeError, urlForErrors } from "./response-limit";

/** One request as it goes on the wire: the URL, method and headers fetch would send, and the whole body. */
export interface OutgoingRequest {
  url: URL;
  method: string;
  headers: Headers;
  body: Uint8Array | undefined;
}

/** One answer, read in full and decoded (`content-encoding`), as fetch would hand it on. */
export interface IncomingAnswer {
  status: number;
  statusText: string;
  headers: Headers;
  /** Null for a HEAD request and for the statuses that carry no body (204, 304, ...). */
  body: Buffer | null;
}

// Statuses whose responses cannot carry a body (the Response constructor refuses one).
export const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 103, 204, 205, 304]);

/**
 * Sends `request` once over node:http(s) (the global agents, so connections are kept alive and shared) and
 * reads the answer in full. It fails as undici's fetch does, so errors are read the same way downstream: a
 * transport failure before the answer is `TypeError("fetch failed")` with Node's error (`ECONNREFUSED`, ...) as
 * its cause, a body cut short is `TypeError("terminated")` with the reset as its cause, and an abort of
 * `signal` rejects with the signal's reason and destroys the connection. A body (decoded) over `maxBodyBytes`
 * rejects with `ResponseTooLargeError` as soon as it is known to be, and destroys the connection.
 */
export function exchange(
  request: OutgoingRequest,
  signal: AbortSignal | null | undefined,
  maxBodyBytes: number,
): Promise<IncomingAnswer> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const { url, method, body } = request;
    const client = process.getBuiltinModule(url.protocol === "https:" ? "node:https" : "node:http");
    const req = client.request(url, { method, headers: wireHeaders(request) });
    let settled = false;
    const settle = () => {
      settled = true;
      signal?.removeEventListener("abort", onAbort);
    };
    const fail = (error: unknown) => {
      if (settled) return;
      settle();
      req.destroy();
      reject(error);
    };
    const onAbort = () => fail(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    req.on("error", (error) => fail(new TypeError("fetch failed", { cause: error })));
    req.on("response", (res) => {
      const status = res.statusCode ?? 0;
      const answer = { status, statusText: res.statusMessage ?? "", headers: answerHeaders(res) };
      const chunks: Buffer[] = [];
      const cut = (error: unknown) => fail(new TypeError("terminated", { cause: error }));
      const tooLarge = () => fail(new ResponseTooLargeError(urlForErrors(url), status, maxBodyBytes));
      const noBody = method === "HEAD" || NULL_BODY_STATUSES.has(status);
      if (!noBody && declaredTooLarge(answer.headers, maxBodyBytes)) return tooLarge();
      const decoded = noBody ? res.resume() : decode(res, answer.headers, cut);
      let size = 0;
      decoded.on("data", (chunk: Buffer) => {
        size += chunk.byteLength;
        if (size > maxBodyBytes) tooLarge();
        else chunks.push(chunk);
      });
      decoded.on("error", cut);
      decoded.on("end", () => {
        if (settled) return;
        settle();
        resolve({
          ...answer,
          body: noBody ? null : chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks),
        });
      });
    });
    req.end(body);
  });
}

/** The headers as Node sends them, with the body's length (fetch sends `content-length: 0` for an empty POST or PUT). */
function wireHeaders({ method, headers, body }: OutgoingRequest): Record<string, string> {
  const wire: Record<string, string> = {};
  headers.forEach((value, name) => {
    wire[name] = value;
  });
  if (body !== undefined) wire["content-length"] = String(body.byteLength);
  else if (method === "POST" || method === "PUT") wire["content-length"] = "0";
  return wire;
}

/** The answer's headers, every value kept (two `set-cookie`s stay two); a value Headers refuses is left out. */
function answerHeaders(res: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = res.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    try {
      headers.append(raw[i] as string, raw[i + 1] as string);
    } catch {
      // A header fetch could not represent; undici's fetch would not hand it on either.
    }
  }
  return headers;
}

/**
 * The body decoded as fetch decodes it: each `content-encoding` (gzip, deflate, br) undone, last applied first;
 * an encoding it does not know leaves the body as it came. Truncated compressed data ends the body rather than
 * failing it, as in undici; a failure on the way (a cut, corrupt data) goes to `onError`.
 */
function decode(res: IncomingMessage, headers: Headers, onError: (error: Error) => void): Readable {
  const codings = (headers.get("content-encoding") ?? "")
    .split(",")
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== "" && coding !== "identity")
    .reverse();
  if (codings.length === 0) return res;
  const zlib = process.getBuiltinModule("node:zlib");
  const sync = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  const decoders: Transform[] = [];
  for (const coding of codings) {
    if (coding === "gzip" || coding === "x-gzip") decoders.push(zlib.createGunzip(sync));
    else if (coding === "deflate") decoders.push(zlib.createInflate(sync));
    else if (coding === "br") {
      const { BROTLI_OPERATION_FLUSH } = zlib.constants;
      decoders.push(
        zlib.createBrotliDecompress({ flush: BROTLI_OPERATION_FLUSH, finishFlush: BROTLI_OPERATION_FLUSH }),
      );
    } else return res;
  }
  process.getBuiltinModule("node:stream").pipeline([res, ...decoders], (error) => {
    if (error) onError(error);
  });
  return decoders.at(-1) as Transform;
}
