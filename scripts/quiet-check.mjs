#!/usr/bin/env node
// Fails when a command's output (the log files named on the command line) has a warning that is not on
// the allow-list below: install, test, demo and serve stay quiet on a fresh clone, so a new warning is seen.
import { readFileSync } from "node:fs";
import { stripVTControlCharacters } from "node:util";

/** Notices that cannot be silenced, each with why. */
const ALLOWED = [
  // serve with no AUTOFLOW_VAULT_KEY / AUTOFLOW_JWT_SECRET: deliberate, a development key must be loud.
  {
    pattern: /^!!! WARNING: AUTOFLOW_(VAULT_KEY|JWT_SECRET) is not set/,
    why: "serve's development-key warning",
  },
  // Ctrl-C of `pnpm serve`: pnpm reports a Ctrl-C'd script as failed on purpose since 10.16 (pnpm/pnpm#9938,
  // "canceling a running process with Ctrl-C should make `pnpm run` return a non-zero exit code"); the bin itself
  // stops cleanly and exits 0 (scripts/serve-ctrl-c.mjs, packages/server/test/cli-tarball.test.ts).
  { pattern: /ELIFECYCLE\s+Command failed\.\s*$/, why: "pnpm's report of Ctrl-C (the serve bin exits 0)" },
];
// Words that mark a warning or an unexpected failure in npm, pnpm, turbo, biome and node output.
const NOISE =
  /\b(npm warn|WARN|WARNING|Warning:|ExperimentalWarning|DeprecationWarning|deprecated|ELIFECYCLE|ERR_PNPM|no output files found)\b/;

let failures = 0;
for (const file of process.argv.slice(2)) {
  const lines = stripVTControlCharacters(readFileSync(file, "utf8")).split("\n");
  lines.forEach((line, index) => {
    if (!NOISE.test(line) || ALLOWED.some(({ pattern }) => pattern.test(line))) return;
    // A test's own name or an expected assertion message is not a warning of the command.
    if (/^\S+:test: +(✓|↓|×)/.test(line)) return;
    failures++;
    console.error(`${file}:${index + 1}: ${line.trim()}`);
  });
}
if (failures) {
  console.error(`\n${failures} warning line(s) not on the allow-list in scripts/quiet-check.mjs`);
  process.exitCode = 1;
} else {
  console.log(`quiet-check: no warning in ${process.argv.slice(2).join(", ")}`);
}
