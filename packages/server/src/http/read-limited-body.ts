// Webhook payloads run up to 25 MB (the largest cap a provider documents): a refused body up to that size is read
// to its end, so the provider gets the 413 instead of a connection reset while it is still sending.
const DRAIN_LIMIT_BYTES = 25 * 1024 * 1024;

/**
 * The request's raw bytes when they fit in `limit`, otherwise `undefined` (a 413). A body over the limit is read
 * and discarded up to 25 MB (or `limit`, when larger) so the answer reaches the client; a larger one is not read.
 */
export async function readLimitedBody(request: Request, limit: number): Promise<Uint8Array | undefined> {
  const drainLimit = Math.max(DRAIN_LIMIT_BYTES, limit);
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
