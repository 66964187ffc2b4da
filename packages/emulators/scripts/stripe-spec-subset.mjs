#!/usr/bin/env node
// Derives `specs/stripe/api-all.json` from Stripe's pinned OpenAPI description (`../shared/specs/stripe/spec3.yaml`:
// YAML, 4 MB, absent from CI): every v1 operation with every `$ref` it reaches, plus the `event` schema the
// emulator's webhook deliveries follow; prose and examples stripped and one line per path and per schema, as
// `specs-update.mjs` writes the other providers' whole descriptions (`*-all.json`). Stripe's schema graph is so
// connected that the operations the emulator serves with state (`STRIPE_OPERATIONS`, `src/stripe/stripe-spec.ts`)
// already reach nearly every schema, so the whole description costs little more and feeds the spec fallback.
// Deterministic: running it twice on the same input changes nothing.
//
// Also writes `specs/stripe/fixtures.json`: Stripe's published example objects (`fixtures3.json`, as stripe-mock
// serves them) for the event types the triggers serve, which the package tests send through the triggers.
//
// Usage: node scripts/stripe-spec-subset.mjs [path to spec3.yaml]
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as yaml from "js-yaml";

const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SCRIPT = "packages/emulators/scripts/stripe-spec-subset.mjs";
const OUTPUT = resolve(PACKAGE_DIR, "specs/stripe/api-all.json");
const FIXTURES_OUTPUT = resolve(PACKAGE_DIR, "specs/stripe/fixtures.json");
/** The resources whose example objects the triggers' events carry (and the event envelope itself). */
const FIXTURE_RESOURCES = ["event", "payment_intent", "checkout.session", "invoice", "subscription"];
const HTTP_METHODS = new Set(["get", "post", "delete", "put", "patch"]);
const STRIPPED_KEYS = new Set(["description", "summary", "example", "examples", "externalDocs", "tags"]);
const NAME_MAPS = new Set(["properties", "patternProperties", "definitions", "schemas", "$defs"]);

/** Schemas kept besides what the operations reach: the webhook delivery's envelope. */
const EXTRA_SCHEMAS = ["event", "error"];

function main(argv) {
  const source = resolve(argv[0] ?? resolve(PACKAGE_DIR, "../../../shared/specs/stripe/spec3.yaml"));
  const document = yaml.load(readFileSync(source, "utf8"));
  const paths = {};
  for (const [path, item] of Object.entries(document.paths)) {
    paths[path] = Object.fromEntries(Object.entries(item).filter(([key]) => HTTP_METHODS.has(key)));
  }
  const operations = Object.values(paths).reduce((sum, item) => sum + Object.keys(item).length, 0);
  const root = {
    openapi: document.openapi,
    info: { title: document.info?.title, version: document.info?.version },
    paths: sortKeys(paths),
  };
  const refs = collectRefs(document, [
    root,
    ...EXTRA_SCHEMAS.map((name) => ({ $ref: `#/components/schemas/${name}` })),
  ]);
  const derived = strip(root);
  derived.components = { schemas: {} };
  for (const ref of [...refs].sort()) {
    const name = ref.replace("#/components/schemas/", "");
    if (name === ref) throw new Error(`unexpected $ref ${ref}`);
    derived.components.schemas[name] = strip(document.components.schemas[name]);
  }
  const header = {
    "x-derived-from": {
      notice: `GENERATED, DO NOT EDIT: run \`node ${SCRIPT}\``,
      source: "stripe/spec3.yaml",
      origin: "stripe/openapi openapi/spec3.yaml@63a674638635c68de26b9f3add13e58198f4df44",
      version: document.info?.version ?? null,
      script: SCRIPT,
      selected: operations,
    },
  };
  const text = compactJson({ ...header, ...derived });
  writeFileSync(OUTPUT, text);
  writeFixtures(resolve(dirname(source), "fixtures3.json"));
  console.log(
    `${relative(PACKAGE_DIR, OUTPUT)}: ${operations} operations, ${refs.size} schemas, ${text.length} bytes`,
  );
}

/** The example objects of `FIXTURE_RESOURCES`, kept whole (they are data), with where they came from. */
function writeFixtures(path) {
  const { resources } = JSON.parse(readFileSync(path, "utf8"));
  const picked = Object.fromEntries(FIXTURE_RESOURCES.map((name) => [name, resources[name]]));
  const header = {
    notice: `GENERATED, DO NOT EDIT: run \`node ${SCRIPT}\``,
    source: "stripe/fixtures3.json",
    origin: "stripe/openapi openapi/fixtures3.json@f6c2a48fbac2819d1feba8143d942ffc65e1c0d2",
  };
  writeFileSync(
    FIXTURES_OUTPUT,
    `${JSON.stringify({ "x-derived-from": header, resources: picked }, null, 2)}\n`,
  );
  // The repository's formatter has the last word on layout, so `biome check` passes on what is committed.
  const formatted = spawnSync("npx", ["biome", "format", "--write", FIXTURES_OUTPUT], { cwd: PACKAGE_DIR });
  if (formatted.status !== 0) throw new Error("biome format failed on the fixtures");
  console.log(`${relative(PACKAGE_DIR, FIXTURES_OUTPUT)}: ${FIXTURE_RESOURCES.length} example objects`);
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

function collectRefs(document, roots) {
  const seen = new Set();
  const queue = [...roots];
  while (queue.length > 0) {
    walk(queue.pop(), (ref) => {
      if (seen.has(ref)) return;
      seen.add(ref);
      queue.push(document.components.schemas[ref.replace("#/components/schemas/", "")]);
    });
  }
  return seen;
}

function walk(node, onRef, parentKey) {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, onRef);
    return;
  }
  if (!node || typeof node !== "object") return;
  for (const [key, value] of Object.entries(node)) {
    if (key === "$ref" && typeof value === "string") onRef(value);
    else if (!isStripped(key, value, parentKey)) walk(value, onRef, key);
  }
}

function isStripped(key, value, parentKey) {
  if (NAME_MAPS.has(parentKey)) return false;
  // `description` is also a parameter or property name elsewhere; as a keyword it is a string.
  return STRIPPED_KEYS.has(key) && (key !== "description" || typeof value === "string");
}

function strip(node, parentKey) {
  if (Array.isArray(node)) return node.map((item) => strip(item));
  if (!node || typeof node !== "object") return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (isStripped(key, value, parentKey)) continue;
    // Two list `url` patterns use `[^/]+` for an id, which the spec fallback's sampler (regex-sample.ts) cannot
    // sample: the id's own characters say the same.
    out[key] =
      key === "pattern" && typeof value === "string"
        ? value.replaceAll("[^/]+", "[A-Za-z0-9_]+")
        : strip(value, key);
  }
  return out;
}

function sortKeys(object) {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => a.localeCompare(b)));
}

main(process.argv.slice(2));
