import { emulatorServiceHarness, type ServiceHarness } from "../shared/service-harness";
import { CONNECTED_ACCOUNT_ID, StripeEmulator } from "./stripe-emulator";

/** The Stripe emulator as the service's HTTP contract tests drive it: connections are to the Connect account. */
export function stripeServiceHarness(): ServiceHarness {
  const emulator = new StripeEmulator();
  return emulatorServiceHarness(emulator, {
    // A Connect token of the emulator's OAuth app: the kind the platform can deauthorize.
    mintToken: () =>
      emulator.mintToken({ account: CONNECTED_ACCOUNT_ID, clientId: emulator.oauthClient.clientId }),
    expectedMetadata: { accountId: CONNECTED_ACCOUNT_ID, livemode: false },
  });
}
