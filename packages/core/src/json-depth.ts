/**
 * A bound on how deeply JSON input may nest. `JSON.parse` itself copes with any depth, but everything
 * after it that recurses (`JSON.stringify`, schema validation, template resolution, deep copies) overflows
 * the stack on a few thousand levels: a one-line body would then be a 500, or a webhook the provider
 * retries forever. Checking the text before parsing costs one pass and never builds the deep value.
 */

/** The nesting depth accepted from the outside unless configured otherwise: far beyond any real payload. */
export const DEFAULT_MAX_JSON_DEPTH = 64;

const OPEN_OBJECT = 0x7b; // {
const OPEN_ARRAY = 0x5b; // [
const CLOSE_OBJECT = 0x7d; // }
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \

/**
 * Whether JSON text nests deeper than `maxDepth` objects/arrays (`{}` is depth 1, `[[]]` depth 2). Brackets
 * inside strings do not count. Stops at the first level too many, so a huge input costs no more than its
 * prefix; text that is not JSON is answered as if it were, and left for `JSON.parse` to refuse.
 */
export function exceedsJsonDepth(text: string, maxDepth: number = DEFAULT_MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      // An escaped character (\" or \\) never ends the string, so skip it whole.
      if (code === BACKSLASH) i++;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) {
      inString = true;
    } else if (code === OPEN_OBJECT || code === OPEN_ARRAY) {
      depth++;
      if (depth > maxDepth) return true;
    } else if (code === CLOSE_OBJECT || code === CLOSE_ARRAY) {
      depth--;
    }
  }
  return false;
}

/**
 * Whether an already parsed value nests deeper than `maxDepth` objects/arrays, walked with a heap stack
 * (never recursion) so a 100,000-level value is answered, not a stack overflow. For input parsed elsewhere
 * (a webhook verifier's payload), where the text is gone or was not plain JSON.
 */
export function valueExceedsJsonDepth(value: unknown, maxDepth: number = DEFAULT_MAX_JSON_DEPTH): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next.value !== "object" || next.value === null) continue;
    const depth = next.depth + 1;
    if (depth > maxDepth) return true;
    for (const child of Object.values(next.value)) pending.push({ value: child, depth });
  }
  return false;
}

/** Why `parseJsonWithinDepth` refused a text: it is not JSON, or it nests deeper than allowed. */
export type JsonParseFailure = { ok: false; reason: "not_json" | "too_deep"; message: string };

/**
 * Parses JSON text from the outside with a nesting bound: the value, or why it was refused (the message
 * names the bound, never the input).
 */
export function parseJsonWithinDepth(
  text: string,
  maxDepth: number = DEFAULT_MAX_JSON_DEPTH,
): { ok: true; value: unknown } | JsonParseFailure {
  if (exceedsJsonDepth(text, maxDepth)) {
    return { ok: false, reason: "too_deep", message: `nests deeper than ${maxDepth} levels` };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, reason: "not_json", message: "is not valid JSON" };
  }
}
