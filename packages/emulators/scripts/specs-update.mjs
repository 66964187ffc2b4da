#!/usr/bin/env node
// Derives the committed API descriptions the emulators read (`specs/<provider>/*.json`) from the providers'
// pinned published descriptions, which are too large to commit and absent from CI: subsets with only the
// operations and webhook events the emulators serve (the conformance tests), and each provider's whole REST/Web
// API (the spec fallback and request validation), each with every `$ref` it reaches, prose and examples
// stripped. Output is deterministic: running it twice on the same input changes nothing. Then writes
// `OPERATIONS.md` (scripts/operations-list.ts: which operations are stateful, spec-answered or missing).
//
// Usage: pnpm --filter @autoflow/emulators specs:update [specs folder] [provider ...]
//   specs folder: default ../../../shared/specs (relative to the package); providers: default all.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { SPEC_SOURCES } from "./specs-sources.mjs";
import { pickExamples } from "./webhook-examples.mjs";

const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SCRIPT = "packages/emulators/scripts/specs-update.mjs";
// Prose, examples and documentation links: nothing a validator reads, most of the bytes.
const STRIPPED_KEYS = new Set(["description", "summary", "example", "examples", "externalDocs", "tags"]);
// Maps whose keys are names chosen by the API (a property called `description`), never keywords to strip.
const NAME_MAPS = new Set(["properties", "patternProperties", "definitions", "schemas", "$defs"]);

function main(argv) {
  const [folderArg, ...providers] = argv;
  const specsDir = resolve(PACKAGE_DIR, folderArg ?? "../../../shared/specs");
  const wanted = providers.length > 0 ? providers : Object.keys(SPEC_SOURCES);
  const written = [];
  for (const provider of wanted) {
    const entries = SPEC_SOURCES[provider];
    if (!entries)
      throw new Error(`no spec source configured for "${provider}" (known: ${Object.keys(SPEC_SOURCES)})`);
    for (const entry of entries) {
      const sourcePath = join(specsDir, entry.source);
      const document = JSON.parse(readFileSync(sourcePath, "utf8"));
      // Example payloads are data, kept whole: stripping prose keys would drop their own `description` fields.
      const derived = entry.extract === "examples" ? pickExamples(document, entry) : derive(document, entry);
      const selected = entry.select?.length ?? countOperations(derived);
      const header = {
        "x-derived-from": {
          notice: `GENERATED, DO NOT EDIT: run \`pnpm --filter @autoflow/emulators specs:update\` (${SCRIPT})`,
          source: entry.source,
          origin: originOf(specsDir, entry.source),
          version: document.info?.version ?? null,
          script: SCRIPT,
          selected,
        },
      };
      // A whole description is written one path per line: a tenth of the bytes of the indented layout, and a
      // new version of the description still diffs per path.
      const text =
        entry.extract === "all-operations"
          ? compactJson({ ...header, ...derived })
          : `${JSON.stringify({ ...header, ...derived }, null, 2)}\n`;
      const outPath = join(PACKAGE_DIR, "specs", provider, entry.output);
      mkdirSync(dirname(outPath), { recursive: true });
      writeFileSync(outPath, text);
      if (entry.extract !== "all-operations") written.push(outPath);
      console.log(`${provider}/${entry.output}: ${selected} selected, ${text.length} bytes`);
    }
  }
  // The repository's formatter has the last word on layout, so `biome check` passes on what is committed.
  const formatted = spawnSync("npx", ["biome", "format", "--write", ...written], {
    cwd: PACKAGE_DIR,
    stdio: "inherit",
  });
  if (formatted.status !== 0) throw new Error("biome format failed on the derived specs");
  // TypeScript, as it reads the emulators' own routes and answer generator (`src/`).
  const listed = spawnSync("npx", ["tsx", "scripts/operations-list.ts"], {
    cwd: PACKAGE_DIR,
    stdio: "inherit",
  });
  if (listed.status !== 0) throw new Error("scripts/operations-list.ts failed");
}

const EXTRACTORS = {
  operations: pickOperations,
  "all-operations": pickAllOperations,
  webhooks: pickWebhooks,
  topics: pickTopics,
};
const HTTP_METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

/** The subset document: the selected operations, webhooks or event topics, and the components they reach. */
function derive(document, entry) {
  const extract = EXTRACTORS[entry.extract];
  if (!extract) throw new Error(`${entry.source}: unknown extract "${entry.extract}"`);
  const kept = extract(document, entry);
  const format = ["openapi", "swagger", "asyncapi"].find((key) => document[key]);
  const root = {
    ...(format && { [format]: document[format] }),
    info: { title: document.info?.title, version: document.info?.version },
    // Swagger 2.0's path prefix (say `/api`): where the described paths are served.
    ...(document.basePath && { basePath: document.basePath }),
    ...kept,
  };
  const closure = collectRefs(document, root);
  const stripped = strip(root);
  // Components go back under their own pointers (`#/components/schemas/x`, `#/definitions/x`), sorted.
  for (const pointer of [...closure].sort()) {
    setAt(stripped, pointer, strip(resolvePointer(document, pointer)));
  }
  return stripped;
}

function pickOperations(document, entry) {
  const paths = {};
  for (const selected of entry.select) {
    const [method, path] = selected.split(" ");
    const operation = document.paths?.[path]?.[method.toLowerCase()];
    if (!operation) throw new Error(`${entry.source}: no operation "${selected}"`);
    paths[path] ??= {};
    // Path-level parameters apply to every method: keep them with the path.
    if (document.paths[path].parameters) paths[path].parameters = document.paths[path].parameters;
    paths[path][method.toLowerCase()] = operation;
  }
  return { paths: sortKeys(paths, (a, b) => a.localeCompare(b)) };
}

/** Every operation of the description, with its path-level parameters. */
function pickAllOperations(document) {
  const paths = {};
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    paths[path] = Object.fromEntries(
      Object.entries(item).filter(([key]) => key === "parameters" || HTTP_METHODS.has(key)),
    );
  }
  return { paths: sortKeys(paths, (a, b) => a.localeCompare(b)) };
}

function countOperations(derived) {
  return Object.values(derived.paths ?? {}).reduce(
    (sum, item) => sum + Object.keys(item).filter((key) => HTTP_METHODS.has(key)).length,
    0,
  );
}

/** The document with one line per top-level key, per path and per component: small, and diffable per entry. */
function compactJson(document) {
  const lines = ["{"];
  const entries = Object.entries(document);
  entries.forEach(([key, value], i) => {
    const comma = i < entries.length - 1 ? "," : "";
    const nested = key === "paths" || key === "definitions" || key === "components";
    if (!nested || !value || typeof value !== "object") {
      lines.push(`${JSON.stringify(key)}:${JSON.stringify(value)}${comma}`);
      return;
    }
    lines.push(`${JSON.stringify(key)}:{`);
    const inner = Object.entries(value);
    inner.forEach(([name, item], j) => {
      const innerComma = j < inner.length - 1 ? "," : "";
      if (key === "components" && item && typeof item === "object") {
        // `components.schemas` etc.: one line per component.
        lines.push(`${JSON.stringify(name)}:{`);
        const parts = Object.entries(item);
        parts.forEach(([part, schema], k) => {
          lines.push(`${JSON.stringify(part)}:${JSON.stringify(schema)}${k < parts.length - 1 ? "," : ""}`);
        });
        lines.push(`}${innerComma}`);
      } else lines.push(`${JSON.stringify(name)}:${JSON.stringify(item)}${innerComma}`);
    });
    lines.push(`}${comma}`);
  });
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

function pickWebhooks(document, entry) {
  const webhooks = {};
  for (const key of [...entry.select].sort()) {
    const webhook = document.webhooks?.[key];
    if (!webhook) throw new Error(`${entry.source}: no webhook "${key}"`);
    webhooks[key] = webhook;
  }
  return { webhooks };
}

/** AsyncAPI 1.2 `topics` (an events API): only each topic's `subscribe.payload`, the event's schema. */
function pickTopics(document, entry) {
  const topics = {};
  for (const name of [...entry.select].sort()) {
    const payload = document.topics?.[name]?.subscribe?.payload;
    if (!payload) throw new Error(`${entry.source}: no topic "${name}" with a subscribe payload`);
    topics[name] = { subscribe: { payload } };
  }
  return { topics };
}

/** Every local `$ref` pointer reachable from `node`, following refs into the source document. */
function collectRefs(document, node) {
  const seen = new Set();
  const queue = [node];
  while (queue.length > 0) {
    const current = queue.pop();
    walk(current, (ref) => {
      if (!ref.startsWith("#/")) throw new Error(`external $ref not supported: ${ref}`);
      if (seen.has(ref)) return;
      seen.add(ref);
      queue.push(resolvePointer(document, ref));
    });
  }
  return seen;
}

function walk(node, onRef, parentKey) {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, onRef);
  } else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") onRef(value);
      // Refs inside stripped examples are not needed.
      else if (!isStripped(key, value, parentKey)) walk(value, onRef, key);
    }
  }
}

function isStripped(key, value, parentKey) {
  if (NAME_MAPS.has(parentKey)) return false;
  if (key.startsWith("x-")) return true;
  // `description` etc. as prose (a string) or example payloads; an object called that in a schema is a name.
  return STRIPPED_KEYS.has(key) && (key !== "description" || typeof value === "string");
}

function strip(node, parentKey) {
  if (Array.isArray(node)) return node.map((item) => strip(item));
  if (!node || typeof node !== "object") return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (!isStripped(key, value, parentKey)) out[key] = strip(value, key);
  }
  return out;
}

function resolvePointer(document, ref) {
  let node = document;
  for (const part of ref.slice(2).split("/")) {
    node = node?.[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  if (node === undefined) throw new Error(`unresolvable $ref ${ref}`);
  return node;
}

function setAt(root, ref, value) {
  const parts = ref
    .slice(2)
    .split("/")
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  let node = root;
  for (const part of parts.slice(0, -1)) {
    node[part] ??= {};
    node = node[part];
  }
  node[parts.at(-1)] = value;
}

function sortKeys(object, compare) {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => compare(a, b)));
}

/**
 * Where the pinned file came from, per the provider's SOURCE.md: `npm-package@version` from its table row, or
 * `owner/repository@commit` from its opening line; null when it names neither.
 */
function originOf(specsDir, source) {
  try {
    const text = readFileSync(join(specsDir, dirname(source), "SOURCE.md"), "utf8");
    const row = text
      .split("\n")
      .find((line) => line.includes(`\`${source}\``) || line.includes(`\`${basename(source)}\``));
    const pinnedPackage = row?.match(/`(@?[\w./-]+@[\w.-]+)`/)?.[1];
    const repository = text.match(/Repository `([\w.-]+\/[\w.-]+)`, commit `([0-9a-f]{40})`/);
    return pinnedPackage ?? (repository ? `${repository[1]}@${repository[2]}` : null);
  } catch {
    return null;
  }
}

main(process.argv.slice(2));
