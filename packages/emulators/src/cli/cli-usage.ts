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
    ...example(ids),
    "",
  ].join("\n");
}

/** Every provider with a fixed port from 4001 up, and the seeds the providers give as examples. */
function example(ids: readonly string[]): string[] {
  const ports = ids.map((id, index) => `--port ${id}=${4001 + index}`);
  const seeds = Object.entries(CLI_PROVIDERS).flatMap(([id, provider]) =>
    provider.seedExample === undefined ? [] : [`--seed ${id}=${provider.seedExample}`],
  );
  return [
    `  autoflow-emulators --providers ${ids.join(",")} ${ports.join(" ")} \\`,
    `    ${[...seeds, "--env-out .autoflow/emulators.env"].join(" ")}`,
  ];
}
