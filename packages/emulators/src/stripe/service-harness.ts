import type { ServiceHarness } from "../shared/service-harness";
import { CONNECTED_ACCOUNT_ID, StripeEmulator } from "./stripe-emulator";

/** The Stripe emulator as the service's HTTP contract tests drive it: connections are to the Connect account. */
export function stripeServiceHarness(): ServiceHarness {
  const emulator = new StripeEmulator();
  return {
    start: async () => void (await emulator.start()),
    stop: () => emulator.stop(),
    endpoints: () => ({ apiUrl: emulator.apiUrl, webUrl: emulator.webUrl }),
    oauthClient: () => ({ ...emulator.oauthClient }),
    // A Connect token of the emulator's OAuth app: the kind the platform can deauthorize.
    mintToken: () =>
      emulator.mintToken({ account: CONNECTED_ACCOUNT_ID, clientId: emulator.oauthClient.clientId }),
    async revokeToken(token) {
      if (!emulator.revokeToken(token)) throw new Error("unknown Stripe key");
    },
    rateLimit: () => emulator.rateLimit(0, 60_000),
    clearFaults: () => emulator.clearFaults(),
    expectedMetadata: { accountId: CONNECTED_ACCOUNT_ID, livemode: false },
  };
}
