import { z } from "zod";
import type { Schema } from "./schema";

/** A JSON Schema document (draft 2020-12), as `z.toJSONSchema` emits it. */
export type JsonSchema = Record<string, unknown>;

/**
 * `schema` as JSON Schema: `io: "input"` for the values a form must produce (before defaults and transforms),
 * `"output"` for what a step or a trigger hands on.
 */
export function jsonSchemaOf(schema: Schema, io: "input" | "output"): JsonSchema {
  return z.toJSONSchema(schema, { io }) as JsonSchema;
}

/**
 * The inputs form of an action or a trigger: its input schema as JSON Schema, with the definition's `examples`
 * as the root's standard `examples` keyword, which a form library can show as placeholders.
 */
export function inputJsonSchemaOf(schema: Schema, examples: readonly unknown[] | undefined): JsonSchema {
  const json = jsonSchemaOf(schema, "input");
  // A round trip through JSON: the catalogue is served as JSON, so the schema shows exactly what a client gets.
  return examples === undefined ? json : { ...json, examples: JSON.parse(JSON.stringify(examples)) };
}
