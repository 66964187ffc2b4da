import { STANDARD_FAULT_NAMES } from "@autoflow/core";
import { CLI_PROVIDERS } from "./cli-providers";

/** The `--help` text, built from the providers and faults the command knows, so it never goes stale. */
export function cliUsage(): string {
  const ids = Object.keys(CLI_PROVIDERS);
  const seeds = Object.entries(CLI_PROVIDERS).map(
    ([id, provider]) => `                            ${id}: ${provider.seedHelp}`,
  );
  return [
    "Usage: autoflow-emulators [options]",
    "",
    "Runs provider emulators on 127.0.0.1 until Ctrl-C, and prints their URLs, a token each accepts,",
    "and the export lines that point the connection service (pnpm serve) at them.",
    "",
    "Options:",
    `  --providers <ids>         Comma-separated, default all: ${ids.join(",")}`,
    "  --port <provider>=<port>  A fixed port (repeatable); a free one by default",
    "  --seed <provider>=<value> Adds seed data (repeatable):",
    ...seeds,
    "  --fault <provider>=<fault> Every API call fails with <fault> (repeatable):",
    `                            ${STANDARD_FAULT_NAMES.join(", ")}`,
    "  --env-out <path>          Also writes the export lines to <path> (mode 600) once the emulators",
    "                            listen, and removes it when they stop: `. <path>` in another shell",
    "  -h, --help                This text",
    "",
    "Example:",
    "  autoflow-emulators --providers slack,github --port slack=4001 --port github=4002 \\",
    "    --seed github=acme/widgets --env-out .autoflow/emulators.env",
    "",
  ].join("\n");
}
