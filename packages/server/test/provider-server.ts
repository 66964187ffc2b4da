import { afterAll, beforeAll } from "vitest";
import { type StoreKind, startTestServer, type TestServer } from "./http-server";
import type { ProviderHarness } from "./provider-harnesses";

/** A provider's emulator and a service on `kind` wired to it, for the enclosing `describe`. */
export interface ProviderServer {
  harness: ProviderHarness;
  t: TestServer;
}

/** Starts the emulator and the service before the enclosing `describe`'s tests and stops both after them. */
export function useProviderServer(kind: StoreKind, makeHarness: () => ProviderHarness): ProviderServer {
  const context = {} as ProviderServer;
  beforeAll(async () => {
    context.harness = makeHarness();
    await context.harness.start();
    context.t = await startTestServer(kind, context.harness.env());
  });
  afterAll(async () => {
    await context.t?.close();
    await context.harness?.stop();
  });
  return context;
}
