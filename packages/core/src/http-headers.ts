/** Response headers as fetch (`Headers`) or node:http and most SDKs (a plain record) give them. */
export type HeadersLike = Headers | Record<string, string | string[] | number | undefined | null>;

/** One header's value, case-insensitively; the first of repeated values, numbers as strings. */
export function getHeader(headers: HeadersLike | undefined, name: string): string | undefined {
  if (headers === undefined || headers === null) return undefined;
  // Duck-typed rather than `instanceof Headers`: node-fetch, undici and other realms bring their own class.
  if (typeof headers.get === "function") return (headers as Headers).get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
    if (key.toLowerCase() !== wanted) continue;
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === "string") return first;
    if (typeof first === "number") return String(first);
    return undefined;
  }
  return undefined;
}
