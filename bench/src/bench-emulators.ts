/**
 * @module
 * The listed providers' emulators as the benchmarks call them: started, kept alive like the real APIs, with a
 * token each. `PROVIDER_TIMEOUT_MS` is the deadline every benchmarked integration and client gets.
 */
import { Server } from "node:http";
import type { EmulatorServer } from "@autoflow/emulators";
import type { BenchEmulator, EmulatorAccess, ListedProviderBench } from "./provider-bench";

// Generous: a create that times out client-side after the emulator handled it would be retried and
// duplicated.
export const PROVIDER_TIMEOUT_MS = 30_000;

/** One provider's started emulator, with the access a client or an integration is built from. */
export interface StartedProvider extends ListedProviderBench {
  emulator: BenchEmulator;
  access: EmulatorAccess;
}

/** Every given provider's emulator, started, with a token each; `stop()` closes them. */
export async function startEmulators(listed: readonly ListedProviderBench[]): Promise<{
  providers: StartedProvider[];
  stop: () => Promise<void>;
}> {
  const providers = await Promise.all(
    listed.map(async ({ id, bench }): Promise<StartedProvider> => {
      const emulator = bench.emulator();
      await emulator.start();
      keepConnectionsAlive(emulator.server);
      return { id, bench, emulator, access: { apiUrl: emulator.apiUrl, token: emulator.mintToken() } };
    }),
  );
  return {
    providers,
    stop: () => Promise.all(providers.map((p) => p.emulator.stop())).then(() => undefined),
  };
}

/**
 * The emulators answer `Keep-Alive: timeout=1`, below undici's 2 s keep-alive threshold, so Node's fetch (the
 * SDKs use it) closes the connection after every response and each call pays a TCP connect. The real APIs
 * keep connections open far longer; the benchmarks do the same so the baseline call is realistic and the
 * runtime's cost is not hidden in reconnects. (The field is private to the emulator: fail loudly if it
 * moves.)
 */
function keepConnectionsAlive(emulator: EmulatorServer): void {
  const server = (emulator as unknown as { server?: unknown }).server;
  if (!(server instanceof Server)) throw new Error("EmulatorServer no longer exposes its node:http server");
  server.keepAliveTimeout = 30_000;
}
