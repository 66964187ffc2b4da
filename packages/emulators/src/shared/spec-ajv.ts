import { Ajv, type ErrorObject, type Options } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { Json } from "./spec-document";

/**
 * OpenAPI 3.0's `nullable: true` (Swagger 2.0's `x-nullable: true`) is not JSON Schema: rewritten as a `null`
 * type (or a `null` branch when the schema has no single type), so any JSON Schema validator reads it.
 */
export function withoutNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutNullable);
  if (!node || typeof node !== "object") return node;
  const { nullable, "x-nullable": swaggerNullable, ...rest } = node as Json;
  const out: Json = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, withoutNullable(v)]));
  if (nullable !== true && swaggerNullable !== true) return out;
  if (typeof out.type === "string") {
    out.type = [out.type, "null"];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [{ type: "null" }, out] };
}

/**
 * A format a provider's description uses that JSON Schema and OpenAPI do not define (the provider's folder lists
 * its own in its spec module): how to check it, and the value generated answers carry. Without `pattern` the
 * format is one the validator knows already and only its sample is the provider's.
 */
export interface SpecFormat {
  pattern?: RegExp;
  sample: string;
}

/** A provider's own formats, by name. */
export type SpecFormats = Readonly<Record<string, SpecFormat>>;

/**
 * An ajv for OpenAPI schemas: draft-07 (OpenAPI 3.0, Swagger 2.0) or 2020-12 (OpenAPI 3.1), with OpenAPI's
 * formats and the provider's own (`formats`).
 */
export function newSpecAjv(draft2020 = false, formats: SpecFormats = {}): Ajv {
  // strict off: OpenAPI keywords (`discriminator`, `readOnly`, `deprecated`) are not JSON Schema vocabulary.
  // verbose: a violation carries the refused value, for a tolerance rule to look at.
  // inlineRefs off: each component compiles once, not into every schema that names it (a large description compiles 3x faster).
  const options: Options = {
    strict: false,
    allErrors: true,
    validateSchema: false,
    verbose: true,
    inlineRefs: false,
  };
  const ajv = draft2020 ? new Ajv2020(options) : new Ajv(options);
  addFormats(ajv);
  // OpenAPI's integer formats: any integer JSON can carry.
  ajv.addFormat("int64", { type: "number", validate: Number.isInteger });
  ajv.addFormat("int32", { type: "number", validate: Number.isInteger });
  for (const [name, format] of Object.entries(formats)) {
    if (format.pattern) ajv.addFormat(name, format.pattern);
  }
  return ajv;
}

/** A JSON pointer from its unescaped parts. */
export function jsonPointer(...parts: string[]): string {
  return parts.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
}

/** The field an ajv error is about: its instance path, plus the property missing or not allowed. */
export function errorField(error: ErrorObject): string {
  const extra =
    error.keyword === "required"
      ? `/${String(error.params.missingProperty)}`
      : error.keyword === "additionalProperties"
        ? `/${String(error.params.additionalProperty)}`
        : "";
  return `${error.instancePath}${extra}`;
}
