/**
 * Aborts `controller` (with the source's reason) as soon as any of `sources` aborts, until the returned
 * `unlink` is called. Used instead of `AbortSignal.any()` for signals made per request or per attempt: a
 * composite signal reaches its sources through `WeakRef`s, and Node keeps one that has an `abort` listener
 * (undici leaves its listener until the request is finalised) in a strong set, so every request's signal,
 * and what its listeners hold, survived the young-generation GC into the old generation, where a busy worker
 * collected it only in full GCs. Plain listeners, removed when the work ends, leave nothing behind.
 */
export function forwardAbort(
  controller: AbortController,
  sources: readonly (AbortSignal | null | undefined)[],
): () => void {
  const linked: AbortSignal[] = [];
  const onAbort = (event: Event) => controller.abort((event.target as AbortSignal).reason);
  const unlink = () => {
    for (const source of linked) source.removeEventListener("abort", onAbort);
    linked.length = 0;
  };
  for (const source of sources) {
    if (!source) continue;
    if (source.aborted) {
      unlink();
      controller.abort(source.reason);
      return unlink;
    }
    source.addEventListener("abort", onAbort, { once: true });
    linked.push(source);
  }
  return unlink;
}
