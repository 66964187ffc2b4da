import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

/** A TypeScript entry point running in a process of its own, with everything it printed so far. */
export interface ChildScript {
  child: ChildProcess;
  output: { stdout: string; stderr: string };
  /** The exit code; `null` when a signal ended it. */
  exited: Promise<number | null>;
}

const packageDir = join(import.meta.dirname, "..");
const started: ChildProcess[] = [];

/**
 * Runs `script` (relative to the package) under tsx with only PATH and `env` in its environment, as a separate
 * process would start in production (crash, two-process and CLI tests).
 */
export function spawnScript(
  script: string,
  env: Record<string, string>,
  args: readonly string[] = [],
): ChildScript {
  return spawnCollected(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: packageDir,
    env: { PATH: process.env.PATH ?? "", ...env },
  });
}

/** Runs any command in a process of its own, collecting what it prints; `killScripts` stops it too. */
export function spawnCollected(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): ChildScript {
  const child = spawn(command, args, options);
  started.push(child);
  const output = { stdout: "", stderr: "" };
  child.stdout?.on("data", (chunk: Buffer) => {
    output.stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output.stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output, exited };
}

/** SIGKILLs every script still running (an `afterEach`/`afterAll` hook: a failed test must not leak one). */
export function killScripts(): void {
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
}
