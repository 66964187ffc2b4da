import { regexSample } from "./regex-sample";
import type { SpecFormats } from "./spec-ajv";
import { type Json, resolveRef } from "./spec-document";

// Fixed values, so answers are the same on every run: never the wall clock.
const FORMATS: Record<string, string> = {
  "date-time": "2011-01-26T19:01:12Z",
  timestamp: "2011-01-26T19:01:12Z",
  date: "2011-01-26",
  time: "19:01:12Z",
  uri: "https://example.com/",
  url: "https://example.com/",
  "uri-reference": "https://example.com/",
  "uri-template": "https://example.com/{id}",
  email: "user@example.com",
  hostname: "example.com",
  ipv4: "127.0.0.1",
  ipv6: "::1",
  uuid: "00000000-0000-4000-8000-000000000000",
  binary: "",
  byte: "",
};

// How deep (in schema steps) a list still gets an item when it may be empty.
const SHOWN_DEPTH = 3;
// Deep enough for every described answer; a required cycle below it is answered with null.
const MAX_DEPTH = 24;

/**
 * A small value that `schema` accepts: the required properties only, one item in lists near the top (else the
 * minimum number of items), the first enum
 * value, a `oneOf`'s first non-null branch, `allOf` merged. `$ref`s are resolved in `document`. Deterministic.
 * Not guaranteed valid (a `oneOf` whose branches overlap, contradictory keywords): validate what it returns.
 */
export function sampleSchema(document: Json, schema: unknown, options: SampleOptions = {}): unknown {
  const formats = { ...FORMATS };
  for (const [name, format] of Object.entries(options.formats ?? {})) formats[name] = format.sample;
  const shownDepth = options.fillLists === false ? -1 : SHOWN_DEPTH;
  return sample({ document, shownDepth, formats }, schema, 0, 0);
}

export interface SampleOptions {
  /** `false`: every list at its minimum length (a `oneOf` of overlapping items can refuse the one shown). */
  fillLists?: boolean;
  /** The provider's own formats: their samples are used, and override the defaults of the same name. */
  formats?: SpecFormats;
}

type Context = { document: Json; shownDepth: number; formats: Readonly<Record<string, string>> };

function sample(context: Context, input: unknown, depth: number, variant: number): unknown {
  const { document } = context;
  if (!input || typeof input !== "object" || depth > MAX_DEPTH) return null;
  let schema = input as Json;
  while (typeof schema.$ref === "string") schema = resolveRef(document, schema.$ref) as Json;
  if (Array.isArray(schema.items) && schema.type === undefined) {
    // Some descriptions write "one of these" as a tuple `items` with no `type` (which constrains arrays only,
    // so any object passes): sampled as the `oneOf` it means, an answer clients can read.
    const { items, ...rest } = schema;
    schema = { ...rest, oneOf: items };
  }
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.enum)) {
    const values = schema.enum.filter((v) => v !== null);
    return values.length > 0 ? values[variant % values.length] : null;
  }
  if (Array.isArray(schema.allOf)) return sample(context, mergeAllOf(document, schema), depth + 1, variant);
  for (const key of ["oneOf", "anyOf"]) {
    const branches = schema[key] as Json[] | undefined;
    if (!branches) continue;
    const chosen = branches.find((b) => !isNullOnly(document, b)) ?? branches[0];
    const { [key]: _branches, ...rest } = schema;
    // A `oneOf` beside `properties` (some descriptions do this): the branch sampled with the siblings merged in.
    return sample(
      context,
      Object.keys(rest).length > 0 ? mergeAllOf(document, { allOf: [rest, chosen] }) : chosen,
      depth + 1,
      variant,
    );
  }
  switch (typeOf(schema)) {
    case "object":
      return sampleObject(context, schema, depth, variant);
    case "array": {
      // An answer's lists near the top hold one item, so a list answer shows the items' shape; deeper ones their minimum.
      const least = depth <= context.shownDepth ? 1 : 0;
      const count = Math.min(
        Math.max(Number(schema.minItems ?? 0), least),
        Number(schema.maxItems ?? Number.POSITIVE_INFINITY),
      );
      return Array.from({ length: count }, (_, i) =>
        sample(context, schema.items ?? {}, depth + 1, variant + i),
      );
    }
    case "string":
      return sampleString(context, schema, variant);
    case "integer":
    case "number":
      return sampleNumber(schema, variant);
    case "boolean":
      return variant % 2 === 0;
    case "null":
      return null;
    default:
      return {};
  }
}

function sampleObject(context: Context, schema: Json, depth: number, variant: number): Json {
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  const out: Json = {};
  for (const name of required) {
    out[name] = name in properties ? sample(context, properties[name], depth + 1, variant) : "";
  }
  return out;
}

function sampleString(context: Context, schema: Json, variant: number): string {
  const format = typeof schema.format === "string" ? context.formats[schema.format] : undefined;
  let text =
    typeof schema.pattern === "string"
      ? (regexSample(schema.pattern, variant) ?? "")
      : (format ?? (variant > 0 ? `string-${variant}` : "string"));
  const min = Number(schema.minLength ?? 0);
  const max = Number(schema.maxLength ?? Number.POSITIVE_INFINITY);
  if (text.length < min) text = text.padEnd(min, "a");
  if (text.length > max) text = text.slice(0, max);
  return text;
}

function sampleNumber(schema: Json, variant: number): number {
  const minimum = typeof schema.minimum === "number" ? schema.minimum : undefined;
  const exclusive = schema.exclusiveMinimum;
  let value = minimum ?? (typeof exclusive === "number" ? exclusive + 1 : 1);
  if (exclusive === true && minimum !== undefined) value = minimum + 1;
  value += variant;
  if (typeof schema.maximum === "number" && value > schema.maximum) value = schema.maximum;
  return typeOf(schema) === "integer" ? Math.ceil(value) : value;
}

function typeOf(schema: Json): string | undefined {
  const { type } = schema;
  if (typeof type === "string") return type;
  if (Array.isArray(type)) return (type.find((t) => t !== "null") as string | undefined) ?? "null";
  if (schema.properties || schema.additionalProperties || schema.required) return "object";
  if (schema.items) return "array";
  return undefined;
}

function isNullOnly(document: Json, input: Json): boolean {
  let schema = input;
  while (typeof schema.$ref === "string") schema = resolveRef(document, schema.$ref) as Json;
  return schema.type === "null";
}

/** `allOf`'s branches as one schema: properties and `required` united, the other keywords first come first kept. */
function mergeAllOf(document: Json, schema: Json): Json {
  const merged: Json = {};
  const properties: Json = {};
  const required = new Set<string>();
  const branches = [schema, ...((schema.allOf as Json[] | undefined) ?? [])];
  for (const input of branches) {
    let branch = input;
    while (typeof branch.$ref === "string") branch = resolveRef(document, branch.$ref) as Json;
    if (Array.isArray(branch.allOf) && branch !== schema) branch = mergeAllOf(document, branch);
    for (const [key, value] of Object.entries(branch)) {
      if (key === "allOf") continue;
      if (key === "properties") Object.assign(properties, value);
      else if (key === "required" && Array.isArray(value))
        for (const name of value) required.add(String(name));
      else if (!(key in merged)) merged[key] = value;
    }
  }
  if (Object.keys(properties).length > 0) merged.properties = properties;
  if (required.size > 0) merged.required = [...required];
  return merged;
}
