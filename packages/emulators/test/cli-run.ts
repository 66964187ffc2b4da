import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { type CliProcess, spawnCli } from "./cli-process";

// The command runs from its TypeScript source through tsx, so the tests need no build; the packed-tarball
// test (`<provider>-cli-tarball.test.ts`) runs the built bin.
const CLI = fileURLToPath(new URL("../src/cli/autoflow-emulators.ts", import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));

/** Runs `autoflow-emulators` with `args`, from source. */
export function runCli(args: string[]): CliProcess {
  return spawnCli(process.execPath, ["--import", "tsx", CLI, ...args], { cwd: PACKAGE_DIR });
}

/** The `export NAME=value` lines of the output, as a map. */
export function exportsOf(output: string): Record<string, string> {
  return Object.fromEntries(
    [...output.matchAll(/^export ([A-Z0-9_]+)=(.*)$/gm)].map(([, name = "", value = ""]) => [name, value]),
  );
}

/** The value printed after `label` in the `<provider> emulator` block. */
export function field(output: string, provider: string, label: string): string {
  const block = output.split(`${provider} emulator\n`)[1] ?? "";
  const match = new RegExp(`^  ${label}:\\s+(\\S+)`, "m").exec(block);
  if (!match?.[1]) throw new Error(`no "${label}" for ${provider} in:\n${output}`);
  return match[1];
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Whether nothing listens at `url` any more. */
export async function refused(url: string): Promise<boolean> {
  try {
    await fetch(url);
    return false;
  } catch (error) {
    return ((error as { cause?: { code?: string } }).cause?.code ?? "") === "ECONNREFUSED";
  }
}
