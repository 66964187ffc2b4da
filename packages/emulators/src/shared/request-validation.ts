import type { Ajv, ValidateFunction } from "ajv";
import { errorField, jsonPointer } from "./spec-ajv";
import { type ApiDescription, followRef, type Json } from "./spec-document";
import type { SpecMatch, SpecOperation, SpecParameter } from "./spec-operations";
import type { EmulatorRequest } from "./types";

/** One way a request breaks its operation's description, naming the operation and the field. */
export interface RequestViolation {
  /** `POST /repos/{owner}/{repo}/issues`. */
  operation: string;
  /** Where the field is: a path segment, the query, the JSON body, or (an RPC-style API's) the method's arguments. */
  in: "path" | "query" | "body" | "arguments";
  /** The parameter, or the body field as a path (`labels/0`); empty for the whole body. */
  field: string;
  /** `missing_field` (required and absent), `invalid` (present but not as described), `unparseable` (not JSON). */
  code: "missing_field" | "invalid" | "unparseable";
  message: string;
}

/** How a provider's requests carry parameters. */
export interface RequestStyle {
  /**
   * Every parameter arrives as text, form-style, in the query or the body alike (an RPC-style API whose methods
   * take arguments anywhere): values are coerced to the described types, and a JSON body's values are read the same way.
   */
  formArguments?: boolean;
  /** Parameters that carry the caller's credentials (a `token` argument): the emulator's auth check reads them, not validation. */
  credentialParameters?: readonly string[];
}

/** Validates requests against a description's parameters and request bodies; compiled validators are cached. */
export class RequestValidator {
  private readonly compiled = new Map<string, ValidateFunction | null>();

  constructor(
    private readonly ajv: Ajv,
    private readonly description: ApiDescription,
    private readonly style: RequestStyle = {},
  ) {}

  /** Every violation of `match`'s operation by `request` (empty when it conforms). */
  validate(request: EmulatorRequest, match: SpecMatch): RequestViolation[] {
    const { operation } = match;
    const violations: RequestViolation[] = [];
    const arguments_ = this.style.formArguments ? argumentsOf(request) : undefined;
    for (const parameter of operation.parameters) {
      // Headers are transport (the token, `accept`): the emulator's own auth check reads them.
      if (parameter.in === "header" || parameter.in === "cookie" || parameter.in === "body") continue;
      if (this.style.credentialParameters?.includes(parameter.name)) continue;
      const where: RequestViolation["in"] =
        parameter.in === "path" ? "path" : arguments_ ? "arguments" : "query";
      const raw =
        parameter.in === "path"
          ? match.pathParams[parameter.name]
          : arguments_
            ? arguments_[parameter.name]
            : queryValue(request.query, parameter);
      if (raw === undefined || raw === "") {
        if (parameter.required) {
          violations.push(violation(operation, where, parameter.name, "missing_field", "is required"));
        }
        continue;
      }
      const value = coerce(raw, parameter.schema);
      const validate = this.parameterValidator(operation, parameter);
      if (validate && !validate(value)) {
        const message = validate.errors?.[0]?.message ?? "is not valid";
        violations.push(
          violation(operation, where, parameter.name, "invalid", `${message} (got ${show(raw)})`),
        );
      }
    }
    if (!this.style.formArguments) violations.push(...this.validateBody(request, operation));
    return violations;
  }

  private validateBody(request: EmulatorRequest, operation: SpecOperation): RequestViolation[] {
    const raw = operation.node.requestBody as Json | undefined;
    if (!raw) return [];
    const requestBody = followRef(this.description, raw, `${operation.pointer}/requestBody`);
    const content = (requestBody.node.content ?? {}) as Record<string, Json>;
    const mediaType = Object.keys(content).find((m) => m.includes("json"));
    // Raw uploads (`application/octet-stream`, `text/plain`) are not checked.
    if (!mediaType) return [];
    if (request.rawBody.length > 0 && request.body === undefined && isJson(request)) {
      return [violation(operation, "body", "", "unparseable", "Problems parsing JSON")];
    }
    if (request.body === undefined) {
      return requestBody.node.required === true
        ? [violation(operation, "body", "", "missing_field", "a request body is required")]
        : [];
    }
    const key = `${operation.key} body`;
    if (!this.compiled.has(key)) {
      const pointer = `${requestBody.at}/${jsonPointer("content", mediaType, "schema")}`;
      this.compiled.set(
        key,
        content[mediaType]?.schema ? (this.ajv.getSchema(`spec${pointer}`) ?? null) : null,
      );
    }
    const validate = this.compiled.get(key);
    if (!validate || validate(request.body)) return [];
    const seen = new Set<string>();
    const out: RequestViolation[] = [];
    for (const error of validate.errors ?? []) {
      // `oneOf` branches report a field once per branch: one violation per field.
      const field = errorField(error).replace(/^\//, "");
      if (seen.has(field)) continue;
      seen.add(field);
      const code = error.keyword === "required" ? "missing_field" : "invalid";
      out.push(violation(operation, "body", field, code, error.message ?? error.keyword));
    }
    return out;
  }

  private parameterValidator(operation: SpecOperation, parameter: SpecParameter): ValidateFunction | null {
    const key = `${operation.key} ${parameter.in} ${parameter.name}`;
    if (!this.compiled.has(key)) {
      this.compiled.set(
        key,
        parameter.schemaPointer
          ? (this.ajv.getSchema(`spec${parameter.schemaPointer}`) ?? null)
          : this.ajv.compile(parameter.schema),
      );
    }
    return this.compiled.get(key) ?? null;
  }
}

function violation(
  operation: SpecOperation,
  where: RequestViolation["in"],
  field: string,
  code: RequestViolation["code"],
  message: string,
): RequestViolation {
  return { operation: operation.key, in: where, field, code, message };
}

/** An RPC-style method's arguments: the query and the body's fields as one set, the body winning. */
function argumentsOf(request: EmulatorRequest): Record<string, unknown> {
  const values: Record<string, unknown> = Object.fromEntries(request.query);
  if (request.body && typeof request.body === "object") Object.assign(values, request.body);
  return values;
}

/** A query parameter's value: an array parameter from repeated or comma-separated values. */
function queryValue(query: URLSearchParams, parameter: SpecParameter): unknown {
  const values = query.getAll(parameter.name);
  if (values.length === 0) return undefined;
  if (primaryType(parameter.schema) !== "array") return values[0];
  return values.length > 1 ? values : (values[0] ?? "").split(",");
}

function primaryType(schema: Json): string | undefined {
  if (typeof schema.type === "string") return schema.type;
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== "null") as string | undefined;
  for (const key of ["oneOf", "anyOf"]) {
    const branches = schema[key] as Json[] | undefined;
    const typed = branches?.map(primaryType).find(Boolean);
    if (typed) return typed;
  }
  return undefined;
}

/** Text as the described type, when it reads as one: `"5"` as 5, `"true"` as true; otherwise the value unchanged. */
function coerce(raw: unknown, schema: Json): unknown {
  const type = primaryType(schema);
  if (Array.isArray(raw) && type === "array") {
    const items = (schema.items as Json | undefined) ?? {};
    return raw.map((item) => coerce(item, items));
  }
  if (typeof raw !== "string") {
    // A JSON body's value where a string is described: form-style APIs take a timestamp as a number, a list as an array.
    if (type !== "string" || raw === null || raw === undefined) return raw;
    return typeof raw === "object" ? JSON.stringify(raw) : String(raw);
  }
  switch (type) {
    case "integer":
    case "number":
      return raw.trim() !== "" && Number.isFinite(Number(raw)) ? Number(raw) : raw;
    case "boolean":
      return raw === "true" || raw === "1" ? true : raw === "false" || raw === "0" ? false : raw;
    case "array":
    case "object":
      // Forms carry structured values as JSON text (a list of blocks, of attachments).
      try {
        return JSON.parse(raw);
      } catch {
        return raw;
      }
    default:
      return raw;
  }
}

function isJson(request: EmulatorRequest): boolean {
  const type = String(request.headers["content-type"] ?? "").toLowerCase();
  return type.includes("json");
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
