import { ServerConfigError } from "../config";
import { type CliCommand, CliUsageError } from "./cli-command";
import { emulatorsCommand } from "./emulators-command";
import { reencryptCommand } from "./reencrypt-command";
import { runsCommand } from "./runs-command";
import { serveCommand } from "./serve-command";
import { tokenCommand } from "./token-command";
import { workerCommand } from "./worker-command";

/** Every `autoflow` subcommand, in the order `--help` lists them. */
export const COMMANDS: readonly CliCommand[] = [
  serveCommand,
  workerCommand,
  tokenCommand,
  runsCommand,
  emulatorsCommand,
  reencryptCommand,
];

/** The `autoflow --help` text, built from the commands. */
export function autoflowUsage(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return [
    "Usage: autoflow <command> [options]",
    "",
    "The AutoFlow connection service and its tools. Commands:",
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    "",
    "autoflow <command> --help describes one. Exit codes: 0 done (or stopped by Ctrl-C), 1 failed,",
    "2 a bad command line.",
    "",
  ].join("\n");
}

/**
 * Runs `autoflow <args>` and resolves to its exit code (undefined: the command sets `process.exitCode` itself).
 * Bad usage is 2 with a message naming the option; a configuration or run-time error is 1, one line, no stack.
 */
export async function runAutoflow(args: readonly string[]): Promise<number | undefined> {
  const [name, ...rest] = args;
  if (name === undefined) {
    process.stderr.write(autoflowUsage());
    return 2;
  }
  if (name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(autoflowUsage());
    return 0;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    process.stderr.write(
      `autoflow: unknown command "${name}" (${COMMANDS.map((c) => c.name).join(", ")}); autoflow --help lists them\n`,
    );
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof CliUsageError) {
      process.stderr.write(
        `autoflow ${name}: ${error.message}\nRun autoflow ${name} --help for the options.\n`,
      );
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      ServerConfigError.isInstance(error)
        ? `Configuration error: ${message}\n`
        : `autoflow ${name}: ${message}\n`,
    );
    return 1;
  }
}

/** A process's whole life as `autoflow <args>`: the bin and the repository's scripts call this. */
export function main(args: readonly string[]): void {
  runAutoflow(args).then(
    (code) => {
      // Exit now rather than when the event loop empties: a closed pool's or server's timers must not hold it.
      if (code !== undefined) process.exit(code);
    },
    (error: unknown) => {
      process.stderr.write(`autoflow: ${(error as Error).message}\n`);
      process.exit(1);
    },
  );
}
