import { type ParseArgsOptionsConfig, parseArgs } from "node:util";

/** A command line a command refuses: exit code 2, the message naming the option and what is wrong. */
export class CliUsageError extends Error {
  override readonly name = "CliUsageError";
}

/** One `autoflow` subcommand. */
export interface CliCommand {
  name: string;
  /** One line for `autoflow --help`. */
  summary: string;
  /** The whole `autoflow <name> --help` text. */
  usage: string;
  /**
   * Runs with the arguments after the command's name; resolves to the exit code, or undefined when the command
   * sets `process.exitCode` itself. Throws `CliUsageError` on bad usage.
   */
  run(args: readonly string[]): Promise<number | undefined>;
}

/**
 * `node:util`'s `parseArgs` (strict), with `--help`/`-h` added; its own messages name the option ("Unknown option
 * '--prot'"), and are thrown as `CliUsageError`.
 */
export function parseCommandArgs<T extends ParseArgsOptionsConfig>(
  args: readonly string[],
  options: T,
  positionals = false,
) {
  try {
    return parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: positionals,
      options: { ...options, help: { type: "boolean", short: "h" } },
    });
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
}

/**
 * For a command with no options of its own: refuses any argument (`CliUsageError`) and answers `--help` by printing
 * its usage. True when it printed the help (the command then exits 0).
 */
export function answeredHelp(command: Pick<CliCommand, "usage">, args: readonly string[]): boolean {
  if (!parseCommandArgs(args, {}).values.help) return false;
  process.stdout.write(command.usage);
  return true;
}

/** A whole number from `min` to `max` for `option`, or a `CliUsageError` naming it. */
export function integerOption(option: string, value: string, min: number, max: number): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) {
    throw new CliUsageError(`${option} must be a whole number from ${min} to ${max}, got "${value}"`);
  }
  return number;
}
