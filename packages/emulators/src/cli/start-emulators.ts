import type { ProviderEmulator } from "@autoflow/core";
import { CLI_PROVIDERS, type CliEmulator } from "./cli-providers";
import type { EmulatorSummary } from "./format-cli-output";
import type { CliPlan, ProviderPlan } from "./parse-cli-args";

/** Emulators started from the command line, and how to stop them all. */
export interface RunningEmulators {
  summaries: EmulatorSummary[];
  stop(): Promise<void>;
}

/**
 * Starts every planned emulator, then seeds it, mints its token and injects its faults (last: a fault
 * such as `connection-refused` would otherwise stop the seeding). On any failure the emulators already
 * started are stopped before the error is thrown, so no port stays taken.
 */
export async function startEmulators(plan: CliPlan): Promise<RunningEmulators> {
  const started: ProviderEmulator[] = [];
  const stop = async () => {
    await Promise.allSettled(started.map((emulator) => emulator.stop()));
  };
  try {
    const summaries: EmulatorSummary[] = [];
    for (const provider of plan.providers) {
      const cli = (CLI_PROVIDERS[provider.id] as NonNullable<(typeof CLI_PROVIDERS)[string]>).create(
        provider.port === undefined ? {} : { port: provider.port },
      );
      await listen(cli, provider);
      started.push(cli.emulator);
      summaries.push(await prepare(cli, provider));
    }
    return { summaries, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function listen(cli: CliEmulator, provider: ProviderPlan): Promise<void> {
  try {
    await cli.emulator.start();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
      throw new Error(
        `port ${provider.port} for ${provider.id} is already in use: pick another with --port ${provider.id}=<port>`,
      );
    }
    throw error;
  }
}

async function prepare(cli: CliEmulator, provider: ProviderPlan): Promise<EmulatorSummary> {
  const { emulator } = cli;
  const seeded = provider.seeds.map((value) => cli.seed(value));
  const token = emulator.mintToken();
  const credentials = cli.credentials?.() ?? [];
  for (const fault of provider.faults) await emulator.injectFault(fault);
  return {
    id: provider.id,
    apiUrl: emulator.apiUrl,
    webUrl: emulator.webUrl,
    token,
    credentials,
    seeded,
    faults: provider.faults,
    env: emulator.env(),
  };
}
