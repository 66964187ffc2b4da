#!/usr/bin/env node
// Derives `specs/gmail/api-all.json` from Google's Discovery Document for the Gmail API v1
// (`../shared/specs/gmail/gmail.v1.json`, not OpenAPI): every method of `users.*` as an OpenAPI 3 operation (its
// `flatPath` under `/gmail/v1/`, its path and query parameters, its request and response schemas), and every
// schema converted to JSON Schema (`$ref: "Message"` -> `#/components/schemas/Message`, `format: byte` kept as a
// string, int64 and uint64 as strings as Google sends them); prose stripped, one line per path and per schema, as
// `specs-update.mjs` writes the other providers' whole descriptions. Deterministic: running it twice on the same
// input changes nothing.
//
// Usage: node scripts/gmail-spec-subset.mjs [path to gmail.v1.json]
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SCRIPT = "packages/emulators/scripts/gmail-spec-subset.mjs";
const OUTPUT = resolve(PACKAGE_DIR, "specs/gmail/api-all.json");
/** Discovery keys that are not JSON Schema (prose, annotations, Google-only markers). */
const DROPPED = new Set([
  "description",
  "enumDescriptions",
  "annotations",
  "id",
  "location",
  "repeated",
  "deprecated",
]);

function main(argv) {
  const source = resolve(argv[0] ?? resolve(PACKAGE_DIR, "../../../shared/specs/gmail/gmail.v1.json"));
  const discovery = JSON.parse(readFileSync(source, "utf8"));
  const paths = {};
  let operations = 0;
  for (const method of methodsOf(discovery.resources)) {
    const path = `/${discovery.servicePath}${method.flatPath ?? method.path}`.replace(/\/+/g, "/");
    const verb = method.httpMethod.toLowerCase();
    const parameters = Object.entries(method.parameters ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, parameter]) => ({
        name,
        in: parameter.location,
        ...(parameter.required || parameter.location === "path" ? { required: true } : {}),
        schema: parameter.repeated ? { type: "array", items: schemaOf(parameter) } : schemaOf(parameter),
      }));
    const operation = {
      operationId: method.id,
      ...(parameters.length > 0 && { parameters }),
      ...(method.request && {
        requestBody: { content: { "application/json": { schema: ref(method.request.$ref) } } },
      }),
      responses: method.response
        ? { 200: { content: { "application/json": { schema: ref(method.response.$ref) } } } }
        : { 204: {} },
      "x-scopes": method.scopes ?? [],
    };
    paths[path] = { ...paths[path], [verb]: operation };
    operations += 1;
  }
  const schemas = {};
  for (const name of Object.keys(discovery.schemas).sort()) schemas[name] = schemaOf(discovery.schemas[name]);
  const document = {
    "x-derived-from": {
      notice: `GENERATED, DO NOT EDIT: run \`node ${SCRIPT}\``,
      source: "gmail/gmail.v1.json",
      origin:
        "googleapis/discovery-artifact-manager discoveries/gmail.v1.json@0ca43a0ba91ff08b029b5a49262b0b07e7685c27",
      version: discovery.revision ?? null,
      script: SCRIPT,
      selected: operations,
    },
    openapi: "3.0.3",
    info: { title: discovery.title, version: discovery.version },
    servers: [{ url: discovery.rootUrl.replace(/\/$/, "") }],
    paths: sortKeys(paths),
    components: { schemas },
  };
  const text = compactJson(document);
  writeFileSync(OUTPUT, text);
  console.log(
    `${relative(PACKAGE_DIR, OUTPUT)}: ${operations} operations, ${Object.keys(schemas).length} schemas, ${text.length} bytes`,
  );
}

/** Every method of the resource tree, depth first, in the document's order. */
function* methodsOf(resources) {
  for (const resource of Object.values(resources ?? {})) {
    yield* Object.values(resource.methods ?? {});
    yield* methodsOf(resource.resources);
  }
}

function ref(name) {
  return { $ref: `#/components/schemas/${name}` };
}

/** A Discovery schema as JSON Schema. */
function schemaOf(node) {
  if (node.$ref) return ref(node.$ref);
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED.has(key) || key === "required" || key === "format" || key === "default") continue;
    if (key === "properties") {
      out.properties = Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((name) => [name, schemaOf(value[name])]),
      );
    } else if (key === "items" || key === "additionalProperties") {
      out[key] = typeof value === "object" ? schemaOf(value) : value;
    } else out[key] = value;
  }
  // Formats dropped: Google's own (`int64` and `uint64` are strings, `byte` is URL-safe base64, `google-datetime`),
  // and `int32`/`uint32`, which JSON Schema's validators do not know; defaults are text in Discovery (`"false"`).
  return out;
}

/** One line per top-level key, per path and per schema: small, and a new description still diffs per entry. */
function compactJson(document) {
  const block = (object) =>
    Object.entries(object)
      .map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`)
      .join(",\n");
  const { paths, components, ...rest } = document;
  return `{\n${block(rest)},\n"paths":{\n${block(paths)}\n},\n"components":{"schemas":{\n${block(components.schemas)}\n}}\n}\n`;
}

function sortKeys(object) {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => a.localeCompare(b)));
}

main(process.argv.slice(2));
