import type { z } from "zod";

/**
 * Whether a field path exists in the values a zod 4 schema produces, so a reference can be checked when a
 * workflow is defined instead of failing mid-run. Objects, arrays, tuples, records, optionals, nullables,
 * defaults, pipes, lazies, unions and intersections are walked; anything open (`z.any`, `z.unknown`, a loose
 * object's catchall, a transform's output) accepts every deeper path, so the check never refuses a value
 * the schema would let through.
 */

/** Where a path stops existing: how many segments exist, and what the value there offers instead. */
export interface SchemaPathMiss {
  /** The number of leading segments that exist. */
  depth: number;
  /** What the value at `depth` is: an object with these fields, a list (numeric segments only), or a plain value. */
  offers: { kind: "object"; fields: string[] } | { kind: "list" } | { kind: "value" };
}

type Walk = { ok: true } | ({ ok: false } & SchemaPathMiss);

const OK: Walk = { ok: true };
const INDEX = /^\d+$/;

/** Wrappers whose output is their inner schema's (or a missing value, which a reference reports at run time). */
const WRAPPERS = new Set(["optional", "nullable", "nonoptional", "default", "prefault", "catch", "readonly"]);
/** Types whose output is not known from the schema: any deeper path may exist. */
const OPEN = new Set(["any", "unknown", "custom", "transform", "map", "set", "promise", "function"]);

// zod 4 publishes every schema's definition as `_zod.def`; only the fields read here are typed.
interface Def {
  type: string;
  innerType?: z.core.$ZodType;
  out?: z.core.$ZodType;
  getter?: () => z.core.$ZodType;
  options?: readonly z.core.$ZodType[];
  left?: z.core.$ZodType;
  right?: z.core.$ZodType;
  shape?: Record<string, z.core.$ZodType>;
  catchall?: z.core.$ZodType;
  element?: z.core.$ZodType;
  items?: readonly z.core.$ZodType[];
  rest?: z.core.$ZodType | null;
  valueType?: z.core.$ZodType;
}

const defOf = (schema: z.core.$ZodType): Def => schema._zod.def as unknown as Def;

/** `undefined` when `path` exists in `schema`'s output; where and why it does not otherwise. */
export function findSchemaPathMiss(
  schema: z.core.$ZodType,
  path: readonly string[],
): SchemaPathMiss | undefined {
  const result = walk(schema, path, 0, new Set());
  return result.ok ? undefined : { depth: result.depth, offers: result.offers };
}

function walk(
  schema: z.core.$ZodType,
  path: readonly string[],
  depth: number,
  lazies: ReadonlySet<z.core.$ZodType>,
): Walk {
  if (depth === path.length) return OK;
  const def = defOf(schema);
  const segment = path[depth] as string;
  // A step deeper starts a fresh set: only a lazy met again at the same depth is a loop.
  const next = (inner: z.core.$ZodType) => walk(inner, path, depth + 1, new Set());
  if (OPEN.has(def.type)) return OK;
  if (WRAPPERS.has(def.type) && def.innerType) return walk(def.innerType, path, depth, lazies);
  switch (def.type) {
    case "pipe":
      return def.out ? walk(def.out, path, depth, lazies) : OK;
    case "lazy": {
      // A recursive schema met again at the same depth adds nothing: stop instead of looping.
      if (lazies.has(schema)) return OK;
      const inner = def.getter?.();
      return inner ? walk(inner, path, depth, new Set([...lazies, schema])) : OK;
    }
    case "union":
      return anyOf((def.options ?? []).map((option) => walk(option, path, depth, lazies)));
    case "intersection":
      return anyOf(
        [def.left, def.right]
          .filter((side) => side !== undefined)
          .map((side) => walk(side, path, depth, lazies)),
      );
    case "object": {
      const shape = def.shape ?? {};
      if (Object.hasOwn(shape, segment)) return next(shape[segment] as z.core.$ZodType);
      if (def.catchall && defOf(def.catchall).type !== "never") return next(def.catchall);
      return { ok: false, depth, offers: { kind: "object", fields: Object.keys(shape) } };
    }
    case "record":
      return def.valueType ? next(def.valueType) : OK;
    case "array":
      return INDEX.test(segment) && def.element
        ? next(def.element)
        : { ok: false, depth, offers: { kind: "list" } };
    case "tuple": {
      if (!INDEX.test(segment)) return { ok: false, depth, offers: { kind: "list" } };
      const item = def.items?.[Number(segment)] ?? def.rest ?? undefined;
      return item ? next(item) : { ok: false, depth, offers: { kind: "list" } };
    }
    default:
      return { ok: false, depth, offers: { kind: "value" } };
  }
}

/** A path exists in a union when it exists in any member; otherwise the deepest miss, with the members' fields merged. */
function anyOf(results: Walk[]): Walk {
  if (results.length === 0 || results.some((result) => result.ok)) return OK;
  const misses = results as ({ ok: false } & SchemaPathMiss)[];
  const depth = Math.max(...misses.map((miss) => miss.depth));
  const deepest = misses.filter((miss) => miss.depth === depth);
  const fields = [
    ...new Set(deepest.flatMap((miss) => (miss.offers.kind === "object" ? miss.offers.fields : []))),
  ];
  if (fields.length > 0) return { ok: false, depth, offers: { kind: "object", fields } };
  return deepest[0] as Walk;
}

/** Says what is at the end of `prefix` instead: `it has: a, b`, `x.y has: a, b`, `x.y is a list...`. */
export function describeMiss(expression: string, base: string, miss: SchemaPathMiss): string {
  const segments = expression.split(".");
  const baseLength = base.split(".").length;
  const at = segments.slice(0, baseLength + miss.depth).join(".");
  const subject = miss.depth === 0 ? "it" : at;
  switch (miss.offers.kind) {
    case "object":
      return miss.offers.fields.length === 0
        ? `${subject} has no fields`
        : `${subject} has: ${miss.offers.fields.join(", ")}`;
    case "list":
      return `${subject} is a list: index it, e.g. ${at}.0`;
    default:
      return `${subject} is a plain value with no fields`;
  }
}
