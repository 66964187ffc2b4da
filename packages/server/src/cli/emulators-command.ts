import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import type { CliCommand } from "./cli-command";

const EMULATORS = "@autoflow/emulators";
const EMULATORS_BIN = "autoflow-emulators";

/**
 * `autoflow emulators [options]`: `@autoflow/emulators`' own command (`autoflow-emulators`), run in this process
 * with the same arguments, so its options, output, signals and exit codes are exactly its own. The package is an
 * optional peer dependency: a development tool (about 5 MB of API descriptions) a production service never needs.
 */
export const emulatorsCommand: CliCommand = {
  name: "emulators",
  summary: "Run the provider emulators (@autoflow/emulators' command; --help lists its options)",
  usage: [
    "Usage: autoflow emulators [options]",
    "",
    `Runs ${EMULATORS}' command (${EMULATORS_BIN}) with these options: loopback emulators of the`,
    "providers' APIs until Ctrl-C, printing a token each accepts and the export lines that point",
    "autoflow serve at them. `autoflow emulators --help` prints its options once the package is installed",
    `(npm install --save-dev ${EMULATORS}).`,
    "",
  ].join("\n"),
  async run(args) {
    const bin = emulatorsBin();
    if (!bin) {
      if (args.includes("--help") || args.includes("-h")) {
        process.stdout.write(this.usage);
        return 0;
      }
      process.stderr.write(
        `autoflow emulators needs ${EMULATORS}, which is not installed: npm install --save-dev ${EMULATORS}\n`,
      );
      return 1;
    }
    // The emulators' bin runs its command when loaded, from process.argv, and sets process.exitCode itself.
    process.argv = [process.argv[0] ?? process.execPath, bin, ...args];
    await import(pathToFileURL(bin).href);
    return undefined;
  },
};

/** The installed `autoflow-emulators` bin file, or undefined when the package is not installed. */
function emulatorsBin(): string | undefined {
  let manifest: string;
  try {
    manifest = createRequire(import.meta.url).resolve(`${EMULATORS}/package.json`);
  } catch {
    return undefined;
  }
  const { bin } = JSON.parse(readFileSync(manifest, "utf8")) as { bin?: Record<string, string> };
  const file = bin?.[EMULATORS_BIN];
  return file === undefined ? undefined : join(dirname(manifest), file);
}
