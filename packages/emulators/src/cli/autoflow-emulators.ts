#!/usr/bin/env node
/**
 * @module
 * `autoflow-emulators`: runs provider emulators on 127.0.0.1 until SIGINT/SIGTERM, printing their URLs,
 * a token each accepts and the `export AUTOFLOW_<P>_*` lines that point the connection service at them.
 * Exit codes: 0 after a signal stopped the emulators, 1 when they could not start, 2 on a bad command line.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { cliUsage } from "./cli-usage";
import { formatExports, formatSummary } from "./format-cli-output";
import { CliUsageError, parseCliArgs } from "./parse-cli-args";
import { startEmulators } from "./start-emulators";

async function main(args: readonly string[]): Promise<void> {
  let plan: ReturnType<typeof parseCliArgs>;
  try {
    plan = parseCliArgs(args);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    process.stderr.write(
      `autoflow-emulators: ${error.message}\nRun autoflow-emulators --help for the options.\n`,
    );
    process.exitCode = 2;
    return;
  }
  if (plan === "help") {
    process.stdout.write(cliUsage());
    return;
  }

  // Listening from the start: a signal that comes while the emulators start stops them once they have.
  const signalled = firstSignal();
  const { envFile } = plan;
  let running: Awaited<ReturnType<typeof startEmulators>> | undefined;
  let exports: string;
  try {
    running = await startEmulators(plan);
    exports = formatExports(running.summaries);
    if (envFile) writeEnvFile(envFile, exports);
  } catch (error) {
    await running?.stop();
    process.stderr.write(`autoflow-emulators: could not start: ${(error as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(
    `${formatSummary(running.summaries)}Point the connection service at them (in the shell that runs pnpm serve):\n${exports}\n` +
      `${envFile ? `(also written to ${envFile})\n` : ""}Running. Ctrl-C stops the emulators.\n`,
  );

  const signal = await signalled;
  await running.stop();
  if (envFile) rmSync(envFile, { force: true });
  process.stdout.write(`Stopped (${signal}).\n`);
}

// Written whole, then renamed: a script waiting for the file never reads half of it. Mode 600: it holds the
// emulator's OAuth app secret.
function writeEnvFile(path: string, exports: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, exports, { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
}

/** Resolves on the first SIGINT or SIGTERM; a second one while stopping exits at once, with code 1. */
function firstSignal(): Promise<NodeJS.Signals> {
  let received = false;
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      if (received) process.exit(1);
      received = true;
      resolve(signal);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`autoflow-emulators: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
