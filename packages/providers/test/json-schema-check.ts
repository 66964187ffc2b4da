import type { JsonSchema, Schema } from "@autoflow/actions";
import Ajv2020 from "ajv/dist/2020";
import { expect } from "vitest";

/** A registry entry (an action or a trigger) as these checks see it: its key, its input schema, its examples. */
export interface ExampleEntry {
  key: string;
  inputSchema: Schema;
  examples?: readonly unknown[];
}

/** An invalid input derived from a valid example, what was changed, and the top-level field changed, if any. */
export interface DerivedSample {
  change: string;
  field?: string;
  input: unknown;
}

/** Strict ajv (draft 2020-12): a keyword ajv does not know fails the compile rather than being ignored. */
export function strictAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  ajv.addFormat("uri", (value: string) => URL.canParse(value));
  return ajv;
}

/** The entry's examples; throws, naming the key, when it declares none. */
export function examplesOf(entry: ExampleEntry): readonly unknown[] {
  if (!entry.examples?.length) {
    throw new Error(
      `${entry.key} has no examples: give its definition one or two valid inputs (\`examples\`)`,
    );
  }
  return entry.examples;
}

/** For each JSON Schema type these checks derive from, a value of another type. */
const OTHER_TYPE: Readonly<Record<string, unknown>> = {
  string: 42,
  number: "not a number",
  integer: "not a number",
  boolean: "yes",
  array: "not a list",
  object: "not an object",
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Invalid inputs derived from a valid `example` by what its JSON Schema says: the whole input as a value of
 * another type, the example without its first required property, and each property whose type is a string, a
 * number, a boolean, an array or an object set to a value of another type.
 */
export function invalidSamplesFrom(example: unknown, schema: JsonSchema): DerivedSample[] {
  const samples: DerivedSample[] = [];
  const { type, required, properties } = schema as {
    type?: unknown;
    required?: unknown;
    properties?: Record<string, { type?: unknown } | undefined>;
  };
  if (typeof type === "string" && type in OTHER_TYPE) {
    samples.push({ change: `the input is not of type ${type}`, input: OTHER_TYPE[type] });
  }
  if (!isRecord(example)) return samples;
  const [first] = Array.isArray(required) ? required : [];
  if (typeof first === "string") {
    const { [first]: _dropped, ...rest } = example;
    samples.push({ change: `without ${first}`, field: first, input: rest });
  }
  for (const [name, property] of Object.entries(properties ?? {})) {
    const propertyType = property?.type;
    if (typeof propertyType === "string" && propertyType in OTHER_TYPE) {
      samples.push({
        change: `${name} is not of type ${propertyType}`,
        field: name,
        input: { ...example, [name]: OTHER_TYPE[propertyType] },
      });
    }
  }
  return samples;
}

/**
 * Asserts that `jsonSchema` is draft 2020-12, compiles in strict mode, publishes the entry's examples, and
 * agrees with the zod schema it was emitted from: every example passes both, and every invalid input derived
 * from an example fails both. The extra schemas (outputs, payloads) must compile too.
 */
export function expectSchemaAgreesWithZod(
  entry: ExampleEntry,
  jsonSchema: JsonSchema,
  extra: readonly (JsonSchema | undefined)[] = [],
): void {
  const examples = examplesOf(entry);
  expect(jsonSchema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
  expect(jsonSchema.examples).toEqual(JSON.parse(JSON.stringify(examples)));
  const ajv = strictAjv();
  const validate = ajv.compile(jsonSchema);
  examples.forEach((example, index) => {
    const where = `${entry.key} examples[${index}]`;
    expect(validate(example), `${where}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    expect(entry.inputSchema.safeParse(example).error, where).toBeUndefined();
    const invalid = invalidSamplesFrom(example, jsonSchema);
    expect(invalid.length, `${where}: no invalid input can be derived`).toBeGreaterThan(0);
    for (const { change, input } of invalid) {
      expect(validate(input), `${where}, ${change}: ajv accepts it`).toBe(false);
      expect(entry.inputSchema.safeParse(input).success, `${where}, ${change}: zod accepts it`).toBe(false);
    }
  });
  for (const schema of extra) if (schema) expect(() => ajv.compile(schema)).not.toThrow();
}
