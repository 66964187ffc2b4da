/**
 * @module
 * rjsf's `ValidatorType` over `@cfworker/json-schema`, which interprets a schema instead of compiling it: rjsf's
 * usual validator (ajv) builds its checks with `new Function`, which the dashboard's Content-Security-Policy
 * (`script-src 'self'`, no `'unsafe-eval'`) refuses. The forms are not validated in the page before saving (the
 * API's messages are the ones shown); rjsf still asks this validator which branch of an `anyOf`/`oneOf` fits.
 */
import { type OutputUnit, Validator } from "@cfworker/json-schema";
import {
  type ErrorSchema,
  ErrorSchemaBuilder,
  type RJSFSchema,
  type RJSFValidationError,
  toErrorList,
  type ValidationData,
  type ValidatorType,
} from "@rjsf/utils";

type Schema = Record<string, unknown>;

/** `schema` with the root's definitions beside it, so its `#/$defs/...` references resolve. */
function standalone(schema: RJSFSchema, root: RJSFSchema | undefined): Schema {
  const withRoot = { ...(schema as Schema) };
  const defs = (root as Schema | undefined)?.$defs;
  const definitions = (root as Schema | undefined)?.definitions;
  if (defs && !withRoot.$defs) withRoot.$defs = defs;
  if (definitions && !withRoot.definitions) withRoot.definitions = definitions;
  // rjsf marks the schemas it generates with keys cfworker does not know; the draft is ours.
  delete withRoot.$schema;
  return withRoot;
}

function check(schema: Schema, data: unknown): OutputUnit[] {
  const result = new Validator(schema as never, "2020-12", false).validate(data);
  return result.valid ? [] : result.errors;
}

/** `#/blocks/0/type` → `["blocks", "0", "type"]`. */
const pathOf = (instanceLocation: string) =>
  instanceLocation
    .replace(/^#\/?/, "")
    .split("/")
    .filter(Boolean)
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"));

// The keywords that only say "something below failed": their children carry the message.
const SUMMARY = new Set(["properties", "items", "prefixItems", "allOf", "$ref", "additionalProperties"]);

/** The rjsf validator the builder's forms use: no code generation, so it runs under a strict CSP. */
export const cspSafeValidator: ValidatorType = {
  validateFormData(formData, schema): ValidationData<unknown> {
    const builder = new ErrorSchemaBuilder();
    const errors: RJSFValidationError[] = [];
    for (const unit of check(standalone(schema, schema), formData)) {
      if (SUMMARY.has(unit.keyword)) continue;
      const path = pathOf(unit.instanceLocation);
      builder.addErrors(unit.error, path);
      errors.push({
        name: unit.keyword,
        property: path.length ? `.${path.join(".")}` : ".",
        message: unit.error,
        stack: unit.error,
        schemaPath: unit.keywordLocation,
      });
    }
    const errorSchema = builder.ErrorSchema as ErrorSchema;
    return { errors: errors.length ? errors : toErrorList(errorSchema), errorSchema };
  },
  isValid(schema, formData, rootSchema) {
    try {
      return check(standalone(schema, rootSchema), formData).length === 0;
    } catch {
      return false;
    }
  },
  rawValidation<Result = unknown>(schema: RJSFSchema, formData?: unknown) {
    try {
      return { errors: check(standalone(schema, schema), formData) as Result[] };
    } catch (thrown) {
      return { validationError: thrown as Error };
    }
  },
};
