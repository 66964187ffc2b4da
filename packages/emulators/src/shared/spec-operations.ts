import { jsonPointer } from "./spec-ajv";
import { type ApiDescription, followRef, type Json } from "./spec-document";

const HTTP_METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

/** One parameter of an operation, `$ref` resolved, with the JSON pointer of its schema in the description. */
export interface SpecParameter {
  name: string;
  in: "path" | "query" | "header" | "cookie" | "formData" | "body";
  required: boolean;
  /** The parameter's schema: OpenAPI 3's `schema`, or Swagger 2.0's keywords on the parameter itself. */
  schema: Json;
  /** Where `schema` sits in the description (`#/components/parameters/per-page/schema`); absent for Swagger's inline keywords. */
  schemaPointer?: string;
}

/** A described operation: `METHOD /path` and what validating and answering it needs. */
export interface SpecOperation {
  /** `GET /repos/{owner}/{repo}/issues`, as `specs-sources.mjs` names operations. */
  key: string;
  method: string;
  path: string;
  operationId: string;
  /** `#/paths/~1repos~1{owner}.../get`. */
  pointer: string;
  parameters: SpecParameter[];
  node: Json;
}

/** A request matched to an operation, with its path parameters (decoded). */
export interface SpecMatch {
  operation: SpecOperation;
  pathParams: Record<string, string>;
}

type Template = { operation: SpecOperation; pattern: RegExp; names: string[]; rank: string };

/** The operations of a description and which one a request path is. */
export class SpecOperations {
  readonly all: SpecOperation[] = [];
  private readonly templates: Template[] = [];
  private readonly byKey = new Map<string, SpecOperation>();

  constructor(
    readonly description: ApiDescription,
    private readonly options: { prefixes?: readonly string[]; matchPathOnly?: boolean } = {},
  ) {
    for (const [path, item] of Object.entries(description.paths)) {
      const shared = (item.parameters as Json[] | undefined) ?? [];
      for (const method of HTTP_METHODS) {
        const node = item[method] as Json | undefined;
        if (!node) continue;
        const pointer = `#/${jsonPointer("paths", path, method)}`;
        const operation: SpecOperation = {
          key: `${method.toUpperCase()} ${path}`,
          method: method.toUpperCase(),
          path,
          operationId: String(node.operationId ?? `${method} ${path}`),
          pointer,
          parameters: this.parameters(path, shared, (node.parameters as Json[] | undefined) ?? [], pointer),
          node,
        };
        this.all.push(operation);
        this.byKey.set(operation.key, operation);
        const names: string[] = [];
        const source = path
          .split("/")
          .map((segment) =>
            segment.replace(/\{([^}]+)\}|[^{]+/g, (part, name?: string) => {
              if (name === undefined) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
              names.push(name);
              return "([^/]+)";
            }),
          )
          .join("/");
        // Literal segments before parameters: `/issues/events` is not `/issues/{issue_number}`.
        const rank = path
          .split("/")
          .map((segment) => (segment.includes("{") ? "1" : "0"))
          .join("");
        this.templates.push({ operation, pattern: new RegExp(`^${source}/?$`), names, rank });
      }
    }
    this.templates.sort((a, b) => a.rank.localeCompare(b.rank));
  }

  /** The operation named `METHOD /path`. */
  get(key: string): SpecOperation | undefined {
    return this.byKey.get(key);
  }

  /** The described operation a request is, if any: its path under the description's base path or a prefix. */
  match(method: string, requestPath: string): SpecMatch | undefined {
    const upper = method.toUpperCase();
    for (const path of this.candidatePaths(requestPath)) {
      for (const template of this.templates) {
        if (!this.options.matchPathOnly && template.operation.method !== upper) continue;
        const found = template.pattern.exec(path);
        if (!found) continue;
        const pathParams = Object.fromEntries(
          template.names.map((name, i) => [name, safeDecode(found[i + 1] ?? "")]),
        );
        return { operation: template.operation, pathParams };
      }
    }
    return undefined;
  }

  /**
   * Whether a route's path (`/repos/:owner/:repo/issues/:number`, under a prefix or not) is `operation`'s path
   * template: a route whose `:number` would also take the literal `/issues/events` does not serve that operation.
   */
  serves(routePath: string, operation: SpecOperation): boolean {
    const shape = templateShape(operation.path);
    return this.candidatePaths(routePath.replace(/:[^/]+/g, "{}")).some(
      (path) => templateShape(path) === shape,
    );
  }

  /** The request path with the base path or a prefix taken off, for each that it starts with. */
  private candidatePaths(requestPath: string): string[] {
    const bases = [this.description.basePath ?? "", ...(this.options.prefixes ?? [])];
    const out: string[] = [];
    for (const base of new Set(bases)) {
      const trimmed = base.replace(/\/$/, "");
      if (trimmed === "") out.push(requestPath);
      else if (requestPath.startsWith(`${trimmed}/`)) out.push(requestPath.slice(trimmed.length));
    }
    return out;
  }

  /** Path-level and operation-level parameters, `$ref`s resolved; an operation's own replaces a path-level one. */
  private parameters(path: string, shared: Json[], own: Json[], pointer: string): SpecParameter[] {
    const byName = new Map<string, SpecParameter>();
    const add = (list: Json[], base: string) =>
      list.forEach((raw, index) => {
        const { node, at } = followRef(this.description, raw, `${base}/parameters/${index}`);
        const parameter = toParameter(node, at);
        byName.set(`${parameter.in} ${parameter.name}`, parameter);
      });
    add(shared, `#/${jsonPointer("paths", path)}`);
    add(own, pointer);
    return [...byName.values()];
  }
}

// Swagger 2.0 keeps a parameter's schema keywords on the parameter itself (`type`, `enum`, `items`).
const SWAGGER_SCHEMA_KEYS = [
  "type",
  "format",
  "enum",
  "items",
  "pattern",
  "minimum",
  "maximum",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "uniqueItems",
];

function toParameter(node: Json, at: string): SpecParameter {
  const base = {
    name: String(node.name),
    in: node.in as SpecParameter["in"],
    required: node.required === true || node.in === "path",
  };
  if (node.schema && typeof node.schema === "object") {
    return { ...base, schema: node.schema as Json, schemaPointer: `${at}/schema` };
  }
  const schema = Object.fromEntries(SWAGGER_SCHEMA_KEYS.filter((k) => k in node).map((k) => [k, node[k]]));
  return { ...base, schema };
}

/** A path template with its parameter names left out: `/repos/{}/{}/issues/{}`. */
function templateShape(path: string): string {
  return path.replace(/\{[^}]*\}/g, "{}").replace(/\/$/, "");
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
