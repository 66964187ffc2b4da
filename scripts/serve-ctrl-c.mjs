#!/usr/bin/env node
// CI's check of `pnpm serve` as a newcomer runs it: it starts on a fresh clone with no set-up, answers /healthz, and
// Ctrl-C (SIGINT to the whole process group, as a terminal sends it) stops it cleanly. Everything it printed goes
// to stdout for scripts/quiet-check.mjs. Exits non-zero when serve did not start, did not answer or did not stop
// cleanly. pnpm itself reports a Ctrl-C'd script as failed (ELIFECYCLE, pnpm/pnpm#9938), so "cleanly" is read from
// the bin's own "Stopped (SIGINT)." line; the bin's exit code 0 is checked from packed tarballs in
// packages/server/test/cli-tarball.test.ts.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const STARTUP_MS = 180_000;
const child = spawn("npx", ["-y", "pnpm@10", "serve"], {
  detached: true,
  env: { ...process.env, PORT: "0", AUTOFLOW_STATE_DIR: mkdtempSync(join(tmpdir(), "autoflow-serve-ci-")) },
});
let output = "";
const collect = (chunk) => {
  output += chunk;
  process.stdout.write(chunk);
};
child.stdout.on("data", collect);
child.stderr.on("data", collect);
const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));

const fail = (message) => {
  console.error(`serve-ctrl-c: ${message}`);
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {}
  process.exit(1);
};

const deadline = Date.now() + STARTUP_MS;
const listeningUrl = () => /listening on (http:\/\/\S+)/.exec(output)?.[1];
while (!listeningUrl()) {
  if (Date.now() > deadline) fail(`no "listening on" line within ${STARTUP_MS / 1000} s`);
  await new Promise((resolve) => setTimeout(resolve, 100));
}
const url = listeningUrl();
const health = await fetch(`${url}/healthz`);
if (health.status !== 200) fail(`GET /healthz answered ${health.status}`);
process.kill(-child.pid, "SIGINT");
await exited;
if (!output.includes("Stopped (SIGINT).")) fail("serve did not stop cleanly on SIGINT");
console.log(`serve-ctrl-c: started, answered /healthz, stopped cleanly on Ctrl-C`);
