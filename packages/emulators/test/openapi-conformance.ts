/**
 * @module
 * Validates what an emulator answers and delivers against the provider's own published description, as
 * committed in `specs/<provider>/` by `scripts/specs-update.mjs` (CI has no copy of the full descriptions).
 * A violation names the operation (or webhook), the status and the JSON path of the field.
 */
import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

type Json = Record<string, unknown>;

const SPECS_DIR = new URL("../specs/", import.meta.url);

/** A derived description from `specs/<provider>/<file>`. */
export function loadDerivedSpec(provider: string, file: string): Json {
  return JSON.parse(readFileSync(new URL(`${provider}/${file}`, SPECS_DIR), "utf8")) as Json;
}

/**
 * OpenAPI 3.0's `nullable: true` is not JSON Schema: rewritten as a `null` type (or a `null` branch when the
 * schema has no single type), so any JSON Schema validator reads it.
 */
function withoutNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutNullable);
  if (!node || typeof node !== "object") return node;
  const { nullable, ...rest } = node as Json;
  const out: Json = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, withoutNullable(v)]));
  if (nullable !== true) return out;
  if (typeof out.type === "string") {
    out.type = [out.type, "null"];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [{ type: "null" }, out] };
}

function newAjv(draft2020: boolean) {
  // strict off: OpenAPI keywords (`discriminator`, `readOnly`, `deprecated`) are not JSON Schema vocabulary.
  const options = { strict: false, allErrors: true, validateSchema: false };
  const ajv = draft2020 ? new Ajv2020(options) : new Ajv(options);
  addFormats(ajv);
  // GitHub's own formats: `repo.nwo` is `owner/name`; `int64` is any integer JSON can carry.
  ajv.addFormat("repo.nwo", /^[^/]+\/[^/]+$/);
  ajv.addFormat("int64", { type: "number", validate: Number.isInteger });
  ajv.addFormat("int32", { type: "number", validate: Number.isInteger });
  return ajv;
}

function pointer(...parts: string[]): string {
  return parts.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
}

function describeErrors(where: string, errors: ErrorObject[] | null | undefined): string[] {
  // `oneOf` branches report the same field once per branch: one line per distinct violation.
  return [
    ...new Set(
      (errors ?? []).map((e) => {
        const missing = e.keyword === "required" ? `/${String(e.params.missingProperty)}` : "";
        return `${where}: ${`${e.instancePath}${missing}` || "/"} ${e.message ?? e.keyword}`;
      }),
    ),
  ];
}

/** Responses of an OpenAPI 3 description's operations. */
export class OperationValidator {
  private readonly ajv;
  private readonly document: Json;
  private readonly compiled = new Map<string, ValidateFunction | null>();
  private readonly templates: Array<{ method: string; path: string; pattern: RegExp }>;

  constructor(document: Json) {
    this.document = withoutNullable(document) as Json;
    this.ajv = newAjv(false);
    this.ajv.addSchema(this.document, "spec");
    const paths = this.document.paths as Record<string, Record<string, unknown>>;
    this.templates = Object.entries(paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((m) => m !== "parameters")
        .map((method) => ({
          method: method.toUpperCase(),
          path,
          pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, "[^/]+")}$`),
        })),
    );
  }

  /** Every operation of the description, as `METHOD /path`. */
  get operations(): string[] {
    return this.templates.map((t) => `${t.method} ${t.path}`);
  }

  /** The described operation a concrete request path (`/repos/a/b`) or template (`/repos/{owner}/{repo}`) is. */
  operationOf(method: string, path: string): string | undefined {
    const bare = path.split("?")[0] ?? path;
    const found = this.templates.find(
      (t) => t.method === method.toUpperCase() && (t.path === bare || t.pattern.test(bare)),
    );
    return found && `${found.method} ${found.path}`;
  }

  /** Violations of the operation's response schema for `status` (empty when conformant). */
  validateResponse(operation: string, status: number, body: unknown): string[] {
    const [method = "", path = ""] = operation.split(" ");
    const where = `${operation} -> ${status}`;
    const responses = (this.document.paths as Record<string, Record<string, Json>>)[path]?.[
      method.toLowerCase()
    ]?.responses as Record<string, Json> | undefined;
    if (!responses) return [`${operation}: not in the description`];
    const response = this.resolve(responses[String(status)]);
    if (!response) return [`${where}: status ${status} is not described for this operation`];
    const content = response.content as Record<string, Json> | undefined;
    if (!content) {
      return body === undefined || body === "" || body === null ? [] : [`${where}: described without a body`];
    }
    const key = `${operation} ${status}`;
    if (!this.compiled.has(key)) {
      const ref = response.$ref as string | undefined;
      const base = ref
        ? `spec${ref}`
        : `spec#/${pointer("paths", path, method.toLowerCase(), "responses", String(status))}`;
      const mediaType = Object.keys(content).find((m) => m.includes("json")) ?? "";
      this.compiled.set(
        key,
        mediaType && content[mediaType]?.schema
          ? (this.ajv.getSchema(`${base}/${pointer("content", mediaType, "schema")}`) ?? null)
          : null,
      );
    }
    const validate = this.compiled.get(key);
    if (!validate) return [];
    return validate(body) ? [] : describeErrors(where, validate.errors);
  }

  private resolve(node: Json | undefined): (Json & { $ref?: string }) | undefined {
    if (!node || typeof node.$ref !== "string") return node;
    let found: unknown = this.document;
    for (const part of node.$ref.slice(2).split("/")) found = (found as Json)?.[part];
    return { ...(found as Json), $ref: node.$ref };
  }
}

/** Payloads of an OpenAPI 3.1 description's `webhooks`. */
export class WebhookValidator {
  private readonly ajv = newAjv(true);
  readonly keys: string[];

  constructor(document: Json) {
    this.ajv.addSchema(withoutNullable(document) as Json, "webhooks");
    this.keys = Object.keys(document.webhooks as Json);
  }

  /** Violations of the webhook's payload schema; `key` is `<event>-<action>` or `<event>` (kebab-case). */
  validate(key: string, payload: unknown): string[] {
    if (!this.keys.includes(key)) return [`webhook ${key}: not in the description`];
    const validate = this.ajv.getSchema(
      `webhooks#/${pointer("webhooks", key, "post", "requestBody", "content", "application/json", "schema")}`,
    );
    if (!validate) return [`webhook ${key}: no payload schema`];
    return validate(payload) ? [] : describeErrors(`webhook ${key}`, validate.errors);
  }
}
