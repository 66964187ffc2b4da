import { describe, expect, it } from "vitest";
import { z } from "zod";
import { findSchemaPathMiss } from "../src/index";

const path = (expression: string) => expression.split(".").filter((segment) => segment !== "");

describe("findSchemaPathMiss", () => {
  const contact = z.object({ email: z.string(), phones: z.array(z.object({ number: z.string() })) });
  const schema = z.object({
    id: z.number(),
    owner: contact.optional(),
    reviewer: contact.nullable(),
    tags: z.array(z.string()),
    pair: z.tuple([z.string(), contact]),
    result: z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("ok"), value: z.object({ url: z.string() }) }),
      z.object({ kind: z.literal("error"), error: z.object({ code: z.string() }) }),
    ]),
    either: z.union([z.string(), z.object({ text: z.string() })]),
    both: z.intersection(z.object({ a: z.string() }), z.object({ b: z.object({ c: z.number() }) })),
    byName: z.record(z.string(), z.object({ size: z.number() })),
    extra: z.looseObject({ known: z.string() }),
    anything: z.unknown(),
    piped: z
      .string()
      .transform((text): unknown => JSON.parse(text))
      .pipe(z.object({ parsed: z.boolean() })),
    transformed: z.string().transform((text) => ({ text })),
    defaulted: z.object({ on: z.boolean() }).default({ on: false }),
  });

  it.each([
    "",
    "id",
    "owner.email",
    "owner.phones.0.number",
    "reviewer.phones.12",
    "tags.3",
    "pair.1.email",
    "result.kind",
    "result.value.url",
    "result.error.code",
    "either.text",
    "both.a",
    "both.b.c",
    "byName.anyKey.size",
    "extra.known",
    "extra.unknown.deeper.still",
    "anything.at.all",
    "piped.parsed",
    "transformed.text",
    "defaulted.on",
  ])("accepts %s", (expression) => {
    expect(findSchemaPathMiss(schema, path(expression))).toBeUndefined();
  });

  it.each([
    ["ID", { depth: 0, offers: { kind: "object", fields: Object.keys(schema.shape) } }],
    ["owner.mail", { depth: 1, offers: { kind: "object", fields: ["email", "phones"] } }],
    ["owner.phones.first", { depth: 2, offers: { kind: "list" } }],
    ["owner.phones.0.digits", { depth: 3, offers: { kind: "object", fields: ["number"] } }],
    ["id.value", { depth: 1, offers: { kind: "value" } }],
    ["tags.0.name", { depth: 2, offers: { kind: "value" } }],
    ["pair.2", { depth: 1, offers: { kind: "list" } }],
    ["result.url", { depth: 1, offers: { kind: "object", fields: ["kind", "value", "error"] } }],
    ["both.b.d", { depth: 2, offers: { kind: "object", fields: ["c"] } }],
    ["byName.x.weight", { depth: 2, offers: { kind: "object", fields: ["size"] } }],
    ["piped.text", { depth: 1, offers: { kind: "object", fields: ["parsed"] } }],
  ] as const)("refuses %s, saying what is there instead", (expression, miss) => {
    expect(findSchemaPathMiss(schema, path(expression))).toEqual(miss);
  });

  it("stops on a recursive schema instead of looping", () => {
    type Node = { name: string; children: Node[] };
    const node: z.ZodType<Node> = z.lazy(() => z.object({ name: z.string(), children: z.array(node) }));
    expect(findSchemaPathMiss(node, path("children.0.children.1.name"))).toBeUndefined();
    expect(findSchemaPathMiss(node, path("children.0.title"))).toMatchObject({ depth: 2 });
    const loop: z.ZodType = z.lazy(() => z.union([z.string(), loop]));
    expect(findSchemaPathMiss(loop, path("x"))).toBeUndefined();
  });
});
