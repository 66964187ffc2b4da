import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";

/** A running command, its output as it comes, and how it ended. */
export interface CliProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the output so far once it contains `text`; rejects if the command ends first. */
  waitFor(text: string): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

const running: ChildProcess[] = [];

/** Kills (SIGKILL) every command a test left running; for `afterEach`. */
export function killLeftovers(): void {
  for (const child of running.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}

export function spawnCli(command: string, args: string[], options: SpawnOptions = {}): CliProcess {
  const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
  running.push(child);
  let stdout = "";
  let stderr = "";
  const waiters: { text: string; resolve: (out: string) => void }[] = [];
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const waiter of waiters.filter((w) => stdout.includes(w.text))) waiter.resolve(stdout);
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve) => child.on("exit", (code, signal) => resolve({ code, signal, stderr })),
  );
  return {
    child,
    output: () => stdout,
    waitFor: (text) =>
      stdout.includes(text)
        ? Promise.resolve(stdout)
        : Promise.race([
            new Promise<string>((resolve) => waiters.push({ text, resolve })),
            exited.then(({ code }) => {
              throw new Error(
                `the command exited (${code}) before printing "${text}":\n${stdout}\n${stderr}`,
              );
            }),
          ]),
    exited,
  };
}
