#!/usr/bin/env node
/**
 * `pnpm provider-measures`: the provider kit's measures for every listed provider package, so they can be
 * re-run after each change: lines in `src` outside `tasks/`, `triggers/` and `actions/` (what a provider
 * writes besides its tasks, triggers and registry actions), in all and without comments and blank lines, and
 * how long `tsc` takes on the package (the compiler run itself, timed in process, median of three). The mentions measure is `pnpm provider-mentions`;
 * repeated code is the `duplicates` tool's. Needs the dependencies built (`pnpm build`) for `tsc`.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const EXCLUDED_DIRS = new Set(["tasks", "triggers", "actions"]);

function listedProviders() {
  const source = readFileSync(join(root, "packages/providers/src/provider-list.ts"), "utf8");
  return [...new Set([...source.matchAll(/@autoflow\/([a-z0-9-]+)\/provider\b/g)].map((match) => match[1]))];
}

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return EXCLUDED_DIRS.has(name) ? [] : sourceFiles(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}

const lines = (path) =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((_, i, all) => i < all.length - 1 || all[i] !== "").length;

/** Lines that are code: comments (line and block, doc comments included) and blank lines left out. */
const codeLines = (path) =>
  readFileSync(path, "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.trim().startsWith("//")).length;

const tsc = createRequire(join(root, "package.json")).resolve("typescript/bin/tsc");

function tscSeconds(packageDir) {
  const runs = [0, 1, 2].map(() => {
    const started = process.hrtime.bigint();
    execFileSync(process.execPath, [tsc, "-p", join(packageDir, "tsconfig.json"), "--noEmit"], {
      stdio: "pipe",
    });
    return Number(process.hrtime.bigint() - started) / 1e9;
  });
  return runs.sort((a, b) => a - b)[1];
}

const rows = listedProviders().map((id) => {
  const dir = join(root, "packages", id);
  const files = sourceFiles(join(dir, "src"));
  return {
    provider: id,
    linesOutsideTasksTriggersActions: files.reduce((sum, file) => sum + lines(file), 0),
    codeLinesOutsideTasksTriggersActions: files.reduce((sum, file) => sum + codeLines(file), 0),
    files: files.map((file) => `${relative(dir, file)} ${lines(file)}`),
    tscSeconds: Number(tscSeconds(dir).toFixed(2)),
  };
});

if (process.argv.includes("--json")) console.log(JSON.stringify({ node: process.version, rows }, null, 2));
else {
  // `tsc` runs on the Node that runs this script: `pnpm provider-measures` is the project's Node 24 (the
  // system Node 20 takes about a third longer to load and run the compiler).
  console.log(`Node ${process.version}, tsc median of three runs per package`);
  for (const row of rows) {
    console.log(
      `${row.provider}: ${row.linesOutsideTasksTriggersActions} lines outside tasks/, triggers/, actions/ (${row.codeLinesOutsideTasksTriggersActions} without comments and blank lines); tsc ${row.tscSeconds} s`,
    );
    for (const file of row.files) console.log(`  ${file}`);
  }
}
