import type { Ajv } from "ajv";
import { sampleSchema } from "./schema-sample";
import { jsonPointer, type SpecFormats } from "./spec-ajv";
import { type ApiDescription, followRef, type Json } from "./spec-document";
import type { SpecOperation } from "./spec-operations";

/** What the spec fallback answers for an operation: a schema-valid success, or why it cannot. */
export type SpecAnswer =
  | { kind: "answer"; status: number; body?: unknown; contentType?: string }
  | { kind: "missing"; reason: string };

/** Success answers generated from a description's response schemas, each checked against its schema, cached. */
export class SpecAnswers {
  private readonly cache = new Map<string, SpecAnswer>();

  constructor(
    private readonly ajv: Ajv,
    private readonly description: ApiDescription,
    private readonly formats: SpecFormats = {},
  ) {}

  /** The operation's success answer: its first described 2xx status, with a body its schema accepts. */
  for(operation: SpecOperation): SpecAnswer {
    let answer = this.cache.get(operation.key);
    if (!answer) {
      answer = this.generate(operation);
      this.cache.set(operation.key, answer);
    }
    return answer;
  }

  private generate(operation: SpecOperation): SpecAnswer {
    const responses = (operation.node.responses ?? {}) as Record<string, Json>;
    const status = Object.keys(responses)
      .filter((code) => /^2\d\d$/.test(code))
      .sort()[0];
    if (!status) return { kind: "missing", reason: "no 2xx response is described" };
    const { node: response, at } = followRef(
      this.description,
      responses[status] as Json,
      `${operation.pointer}/${jsonPointer("responses", status)}`,
    );
    const located = this.schemaOf(response, at);
    if (!located) return { kind: "answer", status: Number(status) };
    const validate = this.ajv.getSchema(`spec${located.pointer}`);
    if (!validate) return { kind: "missing", reason: "the response schema does not compile" };
    // Lists with an item show more; where overlapping `oneOf` items refuse that, lists at their minimum.
    const { formats } = this;
    let body = sampleSchema(this.description, located.schema, { formats });
    if (!validate(body)) body = sampleSchema(this.description, located.schema, { formats, fillLists: false });
    if (!validate(body)) {
      const first = validate.errors?.[0];
      return {
        kind: "missing",
        reason:
          `no generated answer validates (${first?.instancePath || "/"} ${first?.message ?? ""})`.trim(),
      };
    }
    return { kind: "answer", status: Number(status), body, contentType: located.contentType };
  }

  /** The response's schema: OpenAPI 3's JSON (or text) media type, Swagger 2.0's `schema`. */
  private schemaOf(
    response: Json,
    at: string,
  ): { schema: Json; pointer: string; contentType: string } | undefined {
    if (response.schema && typeof response.schema === "object") {
      return { schema: response.schema as Json, pointer: `${at}/schema`, contentType: "application/json" };
    }
    const content = (response.content ?? {}) as Record<string, Json>;
    const mediaType =
      Object.keys(content).find((m) => m.includes("json") && content[m]?.schema) ??
      Object.keys(content).find((m) => content[m]?.schema);
    const schema = mediaType ? (content[mediaType]?.schema as Json | undefined) : undefined;
    if (!mediaType || !schema) return undefined;
    return {
      schema,
      pointer: `${at}/${jsonPointer("content", mediaType, "schema")}`,
      contentType: mediaType,
    };
  }
}
