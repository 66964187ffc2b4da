import type { Json, JsonObject } from "./json";

/** How much of a JSON value `truncateJson` keeps. */
export interface JsonSizeLimits {
  /** A string longer than this many UTF-8 bytes keeps its first bytes and ends with the truncation marker. */
  maxStringBytes: number;
  /**
   * Roughly the most serialized bytes the value keeps, walked in document order: once it is spent, later
   * strings are cut to their marker and later array items and object keys are replaced by one marker.
   */
  maxTotalBytes: number;
}

/**
 * What the task log keeps of a task's output (and a run's): generous, so real data passes whole, yet a huge
 * answer cannot turn into tens of megabytes of log per step.
 */
export const TASK_OUTPUT_LIMITS: Readonly<JsonSizeLimits> = {
  maxStringBytes: 1024 * 1024,
  maxTotalBytes: 4 * 1024 * 1024,
};

/** The end of every cut value: `…[truncated 1234 bytes]`, `…[truncated 12 items]`, `…[truncated 3 keys]`. */
export const TRUNCATION_MARKER = "…[truncated";

/** The key that stands for an object's keys left out. */
export const TRUNCATED_KEYS_KEY = "…";

/** `value` cut to `limits`, and whether anything was cut. */
export interface TruncatedJson<T extends Json | undefined = Json | undefined> {
  value: T;
  truncated: boolean;
  /** About how many serialized bytes the kept value takes. */
  bytes: number;
}

interface Walk {
  remaining: number;
  truncated: boolean;
  readonly maxStringBytes: number;
}

const encoder = new TextEncoder();

/** The UTF-8 length of a string without encoding it when every character is ASCII-sized. */
const utf8Bytes = (text: string) => Buffer.byteLength(text, "utf8");

/** The longest start of `text` that fits in `bytes` UTF-8 bytes, never splitting a character. */
function utf8Prefix(text: string, bytes: number): string {
  if (bytes <= 0) return "";
  const { read } = encoder.encodeInto(text, new Uint8Array(bytes));
  return text.slice(0, read);
}

function cutString(text: string, walk: Walk): string {
  const bytes = utf8Bytes(text);
  const allowed = Math.min(walk.maxStringBytes, Math.max(0, walk.remaining));
  if (bytes <= allowed) {
    walk.remaining -= bytes + 2;
    return text;
  }
  walk.truncated = true;
  const kept = utf8Prefix(text, allowed);
  const keptBytes = utf8Bytes(kept);
  walk.remaining -= keptBytes + 2;
  return `${kept}${TRUNCATION_MARKER} ${bytes - keptBytes} bytes]`;
}

function cut(value: Json, walk: Walk): Json {
  if (typeof value === "string") return cutString(value, walk);
  if (value === null || typeof value !== "object") {
    walk.remaining -= String(value).length;
    return value;
  }
  if (Array.isArray(value)) {
    const kept: Json[] = [];
    walk.remaining -= 2;
    for (let i = 0; i < value.length; i++) {
      if (walk.remaining <= 0) {
        walk.truncated = true;
        kept.push(`${TRUNCATION_MARKER} ${value.length - i} items]`);
        break;
      }
      kept.push(cut(value[i] as Json, walk));
      walk.remaining -= 1;
    }
    return kept;
  }
  const kept: JsonObject = {};
  const entries = Object.entries(value).filter(([, item]) => item !== undefined);
  walk.remaining -= 2;
  for (let i = 0; i < entries.length; i++) {
    const [key, item] = entries[i] as [string, Json];
    if (walk.remaining <= 0) {
      walk.truncated = true;
      define(kept, TRUNCATED_KEYS_KEY, `${TRUNCATION_MARKER} ${entries.length - i} keys]`);
      break;
    }
    // Keys count against the budget like strings; a huge key is cut too (its marker keeps it distinct).
    const keptKey = cutString(key, walk);
    walk.remaining -= 1;
    define(kept, keptKey, cut(item, walk));
    walk.remaining -= 1;
  }
  return kept;
}

/** Sets an own property even for `__proto__`, which plain assignment would turn into the object's prototype. */
function define(target: JsonObject, key: string, value: Json): void {
  if (key === "__proto__")
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/**
 * `value` with long strings cut and, past `maxTotalBytes`, later items and keys replaced by a marker, so what
 * is stored or shown stays bounded whatever an API answered. Every cut says how much it left out
 * (`…[truncated N bytes]`). A value within the limits is returned as it is (the same object).
 */
export function truncateJson<T extends Json | undefined>(value: T, limits: JsonSizeLimits): TruncatedJson<T> {
  if (value === undefined) return { value, truncated: false, bytes: 0 };
  // Nearly every value is far within the limits: one native serialization proves it without the walk. The walk
  // counts at most the serialized bytes (escapes only add), so a value that serializes under both limits is
  // never cut.
  const text = JSON.stringify(value);
  const fits = Math.min(limits.maxStringBytes, limits.maxTotalBytes - 1);
  if (text.length * 3 <= fits) return { value, truncated: false, bytes: text.length };
  const serialized = utf8Bytes(text);
  if (serialized <= fits) return { value, truncated: false, bytes: serialized };
  const walk: Walk = {
    remaining: limits.maxTotalBytes,
    truncated: false,
    maxStringBytes: limits.maxStringBytes,
  };
  const kept = cut(value, walk);
  const bytes = limits.maxTotalBytes - walk.remaining;
  return walk.truncated ? { value: kept as T, truncated: true, bytes } : { value, truncated: false, bytes };
}
