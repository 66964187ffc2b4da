/**
 * @module
 * Validates what an emulator answers and delivers against the provider's own published description, as
 * committed in `specs/<provider>/` by `scripts/specs-update.mjs` (CI has no copy of the full descriptions).
 * A violation names the operation (or webhook), the status and the JSON path of the field.
 */
import { readFileSync } from "node:fs";
import type { ErrorObject, ValidateFunction } from "ajv";
import {
  errorField,
  newSpecAjv,
  jsonPointer as pointer,
  type SpecFormats,
  withoutNullable,
} from "../src/shared/spec-ajv";

type Json = Record<string, unknown>;

const SPECS_DIR = new URL("../specs/", import.meta.url);

/** A derived description from `specs/<provider>/<file>`. */
export function loadDerivedSpec(provider: string, file: string): Json {
  return JSON.parse(readFileSync(new URL(`${provider}/${file}`, SPECS_DIR), "utf8")) as Json;
}

function describeErrors(where: string, errors: ErrorObject[] | null | undefined): string[] {
  // `oneOf` branches report the same field once per branch: one line per distinct violation.
  return [
    ...new Set(
      // The field itself, not only its parent: the one missing, or the one the schema does not allow.
      (errors ?? []).map((e) => `${where}: ${errorField(e) || "/"} ${e.message ?? e.keyword}`),
    ),
  ];
}

/** A violation a test knowingly accepts, and why, so it is listed rather than failed. */
export type Tolerate = (error: ErrorObject) => boolean;

/**
 * Responses of an OpenAPI 3 or Swagger 2.0 description's operations. A violation `tolerate` accepts is kept
 * in `tolerated` instead of being reported; `formats` are the provider's own (its spec module's).
 */
export class OperationValidator {
  private readonly ajv;
  private readonly document: Json;
  private readonly compiled = new Map<string, ValidateFunction | null>();
  private readonly templates: Array<{ method: string; path: string; pattern: RegExp }>;
  /** Violations `tolerate` accepted, one line each, without repeats. */
  readonly tolerated = new Set<string>();

  constructor(
    document: Json,
    private readonly tolerate: Tolerate = () => false,
    formats: SpecFormats = {},
  ) {
    this.document = withoutNullable(document) as Json;
    this.ajv = newSpecAjv(false, formats);
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

  /**
   * Violations of the operation's response schema for `status` (empty when conformant). `"default"` names the
   * description's catch-all answer (where an RPC-style API describes its errors sent with HTTP 200).
   */
  validateResponse(operation: string, status: number | "default", body: unknown): string[] {
    const [method = "", path = ""] = operation.split(" ");
    const where = `${operation} -> ${status}`;
    const responses = (this.document.paths as Record<string, Record<string, Json>>)[path]?.[
      method.toLowerCase()
    ]?.responses as Record<string, Json> | undefined;
    if (!responses) return [`${operation}: not in the description`];
    const response = this.resolve(responses[String(status)]);
    if (!response) return [`${where}: status ${status} is not described for this operation`];
    if (this.document.swagger) return this.validateSwaggerResponse(operation, status, response, body);
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
    return validate(body) ? [] : this.report(where, validate.errors);
  }

  /** Swagger 2.0: the schema is the response's own `schema` (no media types), refs under `#/definitions`. */
  private validateSwaggerResponse(
    operation: string,
    status: number | "default",
    response: Json & { $ref?: string },
    body: unknown,
  ): string[] {
    const [method = "", path = ""] = operation.split(" ");
    const where = `${operation} -> ${status}`;
    if (!response.schema) {
      return body === undefined || body === "" || body === null ? [] : [`${where}: described without a body`];
    }
    const key = `${operation} ${status}`;
    if (!this.compiled.has(key)) {
      const base = response.$ref
        ? `spec${response.$ref}`
        : `spec#/${pointer("paths", path, method.toLowerCase(), "responses", String(status))}`;
      this.compiled.set(key, this.ajv.getSchema(`${base}/schema`) ?? null);
    }
    const validate = this.compiled.get(key);
    if (!validate) return [`${where}: the response schema does not compile`];
    return validate(body) ? [] : this.report(where, validate.errors);
  }

  /** The violations to report; tolerated ones are set aside in `tolerated`, with the value refused when a scalar. */
  private report(where: string, errors: ErrorObject[] | null | undefined): string[] {
    const kept = (errors ?? []).filter((e) => !this.tolerate(e));
    for (const e of (errors ?? []).filter((e) => this.tolerate(e))) {
      const value = typeof e.data === "object" && e.data !== null ? "" : ` (${JSON.stringify(e.data)})`;
      for (const line of describeErrors(where, [e])) this.tolerated.add(`${line}${value}`);
    }
    return describeErrors(where, kept);
  }

  private resolve(node: Json | undefined): (Json & { $ref?: string }) | undefined {
    if (!node || typeof node.$ref !== "string") return node;
    let found: unknown = this.document;
    for (const part of node.$ref.slice(2).split("/")) found = (found as Json)?.[part];
    return { ...(found as Json), $ref: node.$ref };
  }
}

/** Payloads of an OpenAPI 3.1 description's `webhooks`; `formats` are the provider's own. */
export class WebhookValidator {
  private readonly ajv;
  readonly keys: string[];

  constructor(document: Json, formats: SpecFormats = {}) {
    this.ajv = newSpecAjv(true, formats);
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

/** Payloads of an AsyncAPI 1.2 description's `topics` (an events API), as `specs-update.mjs` derives them. */
export class EventTopicValidator {
  private readonly ajv = newSpecAjv(false);
  readonly topics: string[];

  constructor(document: Json) {
    this.ajv.addSchema(withoutNullable(document) as Json, "events");
    this.topics = Object.keys(document.topics as Json);
  }

  /** Violations of the topic's payload schema; `topic` is the description's name (`reaction.added`). */
  validate(topic: string, payload: unknown): string[] {
    if (!this.topics.includes(topic)) return [`event ${topic}: not in the description`];
    const validate = this.ajv.getSchema(`events#/${pointer("topics", topic, "subscribe", "payload")}`);
    if (!validate) return [`event ${topic}: no payload schema`];
    return validate(payload) ? [] : describeErrors(`event ${topic}`, validate.errors);
  }
}
