import { IncomingMessage } from "node:http";

// Webhook payloads run up to 25 MB (the largest cap a provider documents): a refused body up to that size is read
// to its end, so the provider gets the 413 instead of a connection reset while it is still sending.
const DRAIN_LIMIT_BYTES = 25 * 1024 * 1024;

/**
 * The request's raw bytes when they fit in `limit`, otherwise `undefined` (a 413). A body over the limit is read
 * and discarded up to 25 MB (or `limit`, when larger) so the answer reaches the client; a larger one is not read.
 */
export async function readLimitedBody(
  request: Request | IncomingMessage,
  limit: number,
): Promise<Uint8Array | undefined> {
  const drainLimit = Math.max(DRAIN_LIMIT_BYTES, limit);
  if (request instanceof IncomingMessage) return readIncoming(request, limit, drainLimit);
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > drainLimit) return undefined;
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > drainLimit) {
      await reader.cancel();
      return undefined;
    }
    if (total <= limit) chunks.push(value);
  }
  if (total > limit) return undefined;
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/**
 * `readLimitedBody` straight from Node's request stream: under @hono/node-server a web `Request` body is a
 * `ReadableStream` built over this stream, which costs more than the rest of the intake's parsing.
 */
function readIncoming(
  incoming: IncomingMessage,
  limit: number,
  drainLimit: number,
): Promise<Uint8Array | undefined> {
  const declared = Number(incoming.headers["content-length"] ?? "0");
  if (declared > drainLimit) return Promise.resolve(undefined);
  if (incoming.readableDidRead) return Promise.reject(new Error("The request body was already read"));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      incoming.off("data", onData);
      incoming.off("end", onEnd);
      incoming.off("error", onError);
      incoming.off("close", onClose);
      finish();
    };
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > drainLimit) {
        // As cancelling the web stream does: the rest is not read.
        settle(() => resolve(undefined));
        incoming.destroy();
        return;
      }
      if (total <= limit) chunks.push(chunk);
    };
    const onEnd = () =>
      settle(() =>
        resolve(total > limit ? undefined : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)),
      );
    const onError = (error: Error) => settle(() => reject(error));
    const onClose = () => {
      if (incoming.readableEnded) onEnd();
      else settle(() => reject(new Error("The client closed the connection before the body ended")));
    };
    incoming.on("data", onData);
    incoming.on("end", onEnd);
    incoming.on("error", onError);
    incoming.on("close", onClose);
  });
}
