#!/usr/bin/env node
/**
 * `pnpm provider-mentions`: the files outside a provider's own package (`packages/<provider>/`) and its emulator
 * (`packages/emulators/src/<provider>/`, `specs/<provider>/`, `test/<provider>-*`, `scripts/<provider>-*`) whose text
 * names a listed provider, by kind: the lists (the provider list package `packages/providers/`, its tests counted
 * with the tests, and the emulator list `packages/emulators/src/emulator-list.ts`), source, tests, and docs and
 * other files. The providers are the ones `packages/providers/src/provider-list.ts` imports
 * (`@autoflow/<id>/provider`), so the measure follows the list.
 *
 * A file names a provider when a provider id (say `acme`) appears as a word of its text, identifiers included:
 * `acme`, `Acme`, `ACME`, `@autoflow/acme`, `AUTOFLOW_ACME_API_URL`, `acmeProvider`, `createAcmeLifecycle` (a
 * camelCase part), but not `acmes`. `pnpm-lock.yaml` is skipped (generated). Options: `--list` prints every
 * file under its kind; `--json` prints the result as JSON; `--check` (CI) fails when a source file other than the
 * examples' names a provider.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const LIST_PACKAGE = "packages/providers/";
const LIST_FILE = `${LIST_PACKAGE}src/provider-list.ts`;
// The emulators' own list (one line per provider's emulator): counted with the provider list.
const EMULATOR_LIST_FILE = "packages/emulators/src/emulator-list.ts";
const SKIPPED = new Set(["pnpm-lock.yaml"]);

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The provider ids the list imports. */
function listedProviders() {
  const source = readFileSync(join(root, LIST_FILE), "utf8");
  return [...new Set([...source.matchAll(/@autoflow\/([a-z0-9-]+)\/provider\b/g)].map((match) => match[1]))];
}

/**
 * `id` as a word: lower case not inside another word (`acme`, `@autoflow/acme`, `acme_live_`), or capitalised as
 * the start of a camelCase part in any case after its first letter (`AcmeEmulator`, `createAcmeLifecycle`,
 * `AcMe`, `ACME`).
 */
function wordPattern(id) {
  const [head = "", ...tail] = id;
  const anyCaseTail = tail
    .map((c) => (/[a-z]/.test(c) ? `[${c}${c.toUpperCase()}]` : escapeRegExp(c)))
    .join("");
  const lower = `(?<![A-Za-z0-9])${escapeRegExp(id)}`;
  const capitalised = `(?<![A-Z])${escapeRegExp(head.toUpperCase())}${anyCaseTail}`;
  return new RegExp(`(?:${lower}|${capitalised})(?![a-z])`);
}

/** Every file git knows (tracked, or new and not ignored). */
function files() {
  const out = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 * 2 ** 20,
  });
  return [...new Set(out.split("\0").filter(Boolean))].sort();
}

function kindOf(path) {
  if (/(^|\/)(test|__fixtures__)\//.test(path) || /\.test(-d)?\.[cm]?[jt]sx?$/.test(path)) return "test";
  if (path.startsWith(LIST_PACKAGE) || path === EMULATOR_LIST_FILE) return "list";
  if (/\.[cm]?[jt]sx?$/.test(path)) return "src";
  return "other";
}

const providers = listedProviders();
const patterns = providers.map((id) => ({ id, pattern: wordPattern(id) }));
// A provider's emulator is its folder of sources, its derived spec subset, its own emulator tests and scripts.
const ownPrefixes = providers.flatMap((id) => [
  `packages/${id}/`,
  `packages/emulators/src/${id}/`,
  `packages/emulators/specs/${id}/`,
  `packages/emulators/test/${id}-`,
  `packages/emulators/scripts/${id}-`,
]);

const found = { list: [], src: [], test: [], other: [] };
for (const path of files()) {
  if (SKIPPED.has(path) || ownPrefixes.some((prefix) => path.startsWith(prefix))) continue;
  let text;
  try {
    text = readFileSync(join(root, path), "utf8");
  } catch {
    continue; // deleted in the working tree, or not a regular file
  }
  if (text.includes("\0")) continue; // binary
  const named = patterns.filter(({ pattern }) => pattern.test(text)).map(({ id }) => id);
  if (named.length > 0) found[kindOf(path)].push({ path, providers: named });
}

const LABELS = {
  list: `the lists (${LIST_PACKAGE}, tests aside, and ${EMULATOR_LIST_FILE})`,
  src: "source",
  test: "tests",
  other: "docs and other files",
};

// The product's own source names no provider: only the examples (jobs written against particular providers) may.
const CONSUMERS = ["examples/"];
if (process.argv.includes("--check")) {
  const offending = found.src.filter((file) => !CONSUMERS.some((prefix) => file.path.startsWith(prefix)));
  for (const file of offending) console.error(`${file.path} names ${file.providers.join(", ")}`);
  if (offending.length > 0) {
    console.error(
      `provider-mentions: ${offending.length} source file(s) outside a provider's package, its emulator, the lists and ${CONSUMERS.join(", ")} name a provider`,
    );
    process.exit(1);
  }
  console.log(
    `provider-mentions: no source outside the providers' own packages, the lists and ${CONSUMERS.join(", ")} names a provider`,
  );
  process.exit(0);
}

if (process.argv.includes("--json")) {
  process.stdout.write(`${JSON.stringify({ providers, ...found }, null, 2)}\n`);
} else {
  const outside = found.src.length + found.test.length + found.other.length;
  const lines = [
    `Providers in the list: ${providers.join(", ")}`,
    `Files outside packages/<provider>/ and its emulator (packages/emulators/{src,specs}/<provider>/, {test,scripts}/<provider>-*) that name one: ${outside} (+ ${found.list.length} in the lists)`,
    ...Object.entries(LABELS).map(([kind, label]) => `  ${label}: ${found[kind].length}`),
  ];
  if (process.argv.includes("--list")) {
    for (const [kind, label] of Object.entries(LABELS)) {
      if (found[kind].length === 0) continue;
      lines.push("", `${label}:`);
      for (const file of found[kind]) lines.push(`  ${file.path} (${file.providers.join(", ")})`);
    }
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}
