import type { EmulatorDescriptor } from "../shared/emulator-descriptor";
import { stripeServiceHarness } from "./service-harness";
import { stripeCli } from "./stripe-cli";
import { STRIPE_SIGNATURE } from "./stripe-events";

/** The Stripe emulator, as `emulator-list.ts` lists it. */
export const stripeDescriptor: EmulatorDescriptor = {
  id: "stripe",
  envPrefix: "AUTOFLOW_STRIPE_",
  cli: stripeCli,
  serviceHarness: stripeServiceHarness,
  webhookSignature: STRIPE_SIGNATURE,
  samples: { realApiUrl: "https://api.stripe.com" },
};
