import type { JsonSchema } from "@autoflow/actions";
import Ajv2020 from "ajv/dist/2020";
import { expect } from "vitest";
import type { z } from "zod";

/** A form's valid and invalid inputs, to check the JSON Schema and the zod schema agree. */
export interface InputSample {
  valid: unknown;
  invalid: unknown;
}

/** Strict ajv (draft 2020-12): a keyword ajv does not know fails the compile rather than being ignored. */
export function strictAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  ajv.addFormat("uri", (value: string) => URL.canParse(value));
  return ajv;
}

/**
 * Asserts that `jsonSchema` is draft 2020-12, compiles in strict mode, and accepts and refuses the same sample as
 * the zod schema it was emitted from; the extra schemas (outputs, payloads) must compile too.
 */
export function expectSchemaAgreesWithZod(
  key: string,
  jsonSchema: JsonSchema,
  zodSchema: z.ZodType,
  samples: Record<string, InputSample>,
  extra: readonly (JsonSchema | undefined)[] = [],
): void {
  const sample = samples[key];
  if (!sample) throw new Error(`no sample inputs for ${key}: add one to SAMPLES`);
  expect(jsonSchema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
  const ajv = strictAjv();
  const validate = ajv.compile(jsonSchema);
  expect(validate(sample.valid), JSON.stringify(validate.errors)).toBe(true);
  expect(validate(sample.invalid)).toBe(false);
  expect(zodSchema.safeParse(sample.valid).success).toBe(true);
  expect(zodSchema.safeParse(sample.invalid).success).toBe(false);
  for (const schema of extra) if (schema) expect(() => ajv.compile(schema)).not.toThrow();
}
