import type { ErrorObject, ValidateFunction } from "ajv";
import type { RequestViolation } from "../shared/request-validation";
import { errorField, jsonPointer, newSpecAjv, withoutNullable } from "../shared/spec-ajv";
import { type ApiDescription, followRef, type Json } from "../shared/spec-document";
import type { SpecOperation } from "../shared/spec-operations";
import type { FormObject, FormValue } from "./stripe-form";
import { STRIPE_FORMATS, stripeDifferenceAccepted } from "./stripe-spec";

const FORM = "application/x-www-form-urlencoded";

type Compiled = { validate: ValidateFunction; schema: Json };

/**
 * Stripe's requests against its description, which the shared request validator cannot read: a POST's form body
 * (`metadata[plan]=pro`, `items[0][price]=...`) against the operation's `application/x-www-form-urlencoded`
 * schema, a GET's or DELETE's query (`created[gte]=...`, `expand[]=...`) against its query parameters, both as
 * nested objects of text coerced to the described types first (form values are all text on the wire). Unknown
 * parameters are refused, as Stripe refuses them.
 */
export class StripeRequestValidator {
  private readonly ajv = newSpecAjv(false, STRIPE_FORMATS);
  private readonly compiled = new Map<string, Compiled | null>();

  constructor(private readonly description: ApiDescription) {
    this.ajv.addSchema(withoutNullable(description) as Json, "spec");
  }

  /** Every violation of `operation` by the parsed form (empty when it conforms). */
  validate(operation: SpecOperation, form: FormObject): RequestViolation[] {
    const compiled = this.compile(operation);
    if (!compiled) return [];
    const value = coerce(this.description, form, compiled.schema);
    if (compiled.validate(value)) return [];
    const seen = new Set<string>();
    const out: RequestViolation[] = [];
    for (const error of compiled.validate.errors ?? []) {
      const field = formField(errorField(error));
      // anyOf branches report a field once per branch: one violation per field.
      if (seen.has(field)) continue;
      seen.add(field);
      out.push({
        operation: operation.key,
        in: operation.method === "POST" ? "body" : "query",
        field,
        code: error.keyword === "required" ? "missing_field" : "invalid",
        message: messageOf(error, field),
      });
    }
    return out.filter((violation) => !stripeDifferenceAccepted(violation));
  }

  private compile(operation: SpecOperation): Compiled | null {
    let compiled = this.compiled.get(operation.key);
    if (compiled !== undefined) return compiled;
    compiled = null;
    if (operation.method === "POST") {
      const content = (operation.node.requestBody as Json | undefined)?.content as
        | Record<string, Json>
        | undefined;
      const schema = content?.[FORM]?.schema as Json | undefined;
      const pointer = `${operation.pointer}/${jsonPointer("requestBody", "content", FORM, "schema")}`;
      const validate = schema && this.ajv.getSchema(`spec${pointer}`);
      if (schema && validate) compiled = { validate, schema };
    } else {
      const query = operation.parameters.filter((p) => p.in === "query");
      const schema: Json = {
        type: "object",
        additionalProperties: false,
        properties: Object.fromEntries(query.map((p) => [p.name, p.schema])),
        required: query.filter((p) => p.required).map((p) => p.name),
      };
      const validate = this.ajv.compile({
        ...schema,
        properties: Object.fromEntries(
          query.map((p) => [p.name, p.schemaPointer ? { $ref: `spec${p.schemaPointer}` } : p.schema]),
        ),
      });
      compiled = { validate, schema };
    }
    this.compiled.set(operation.key, compiled);
    return compiled;
  }
}

/** `/metadata/plan` as Stripe names a form field: `metadata[plan]`. */
function formField(path: string): string {
  const [head = "", ...rest] = path.replace(/^\//, "").split("/");
  return head + rest.map((part) => `[${part}]`).join("");
}

function messageOf(error: ErrorObject, field: string): string {
  switch (error.keyword) {
    case "additionalProperties":
      return `Received unknown parameter: ${field}`;
    case "required":
      return `Missing required param: ${field}.`;
    case "type":
      return `Invalid ${String(error.params.type)}: ${field}`;
    case "enum":
      return `Invalid ${field}: must be one of ${(error.params.allowedValues as unknown[]).join(", ")}`;
    default:
      return `Invalid ${field}: ${error.message ?? error.keyword}`;
  }
}

/** The branches a value may take: `anyOf`/`oneOf`, or the schema itself, `$ref`s followed. */
function branchesOf(description: ApiDescription, schema: Json): Json[] {
  const node = followRef(description, schema, "").node;
  const branches = (node.anyOf ?? node.oneOf) as Json[] | undefined;
  return branches ? branches.flatMap((b) => branchesOf(description, b)) : [node];
}

/** Form text as the described types: numbers, booleans, arrays and objects, by the branch the value fits. */
function coerce(description: ApiDescription, value: FormValue, schema: Json): unknown {
  const branches = branchesOf(description, schema);
  if (typeof value === "string") {
    if (value === "" && branches.some((b) => Array.isArray(b.enum) && b.enum.includes(""))) return "";
    for (const branch of branches) {
      if ((branch.type === "integer" || branch.type === "number") && /^-?\d+(\.\d+)?$/.test(value)) {
        return Number(value);
      }
      if (branch.type === "boolean" && (value === "true" || value === "false")) return value === "true";
    }
    // A lone `expand=x` is a one-item list.
    if (branches.some((b) => b.type === "array") && !branches.some((b) => b.type === "string")) {
      const array = branches.find((b) => b.type === "array") as Json;
      return [coerce(description, value, (array.items as Json) ?? {})];
    }
    return value;
  }
  if (Array.isArray(value)) {
    const array = branches.find((b) => b.type === "array");
    return array ? value.map((item) => coerce(description, item, (array.items as Json) ?? {})) : value;
  }
  const object = branches.find((b) => b.type === "object" || b.properties !== undefined);
  if (!object) return value;
  const properties = (object.properties ?? {}) as Record<string, Json>;
  const extra = typeof object.additionalProperties === "object" ? (object.additionalProperties as Json) : {};
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, coerce(description, item, properties[key] ?? extra)]),
  );
}
