import type { EmulatorCli } from "../shared/emulator-descriptor";
import { StripeEmulator } from "./stripe-emulator";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** How `autoflow-emulators` runs the Stripe emulator: `--seed stripe=<email>` adds a customer. */
export const stripeCli: EmulatorCli = {
  seedHelp: "a customer, e.g. stripe=ada@example.com",
  seedExample: "ada@example.com",
  checkSeed: (value) => (EMAIL.test(value) ? undefined : `"${value}" is not an email address`),
  create: ({ port }) => {
    const emulator = new StripeEmulator(port === undefined ? {} : { port });
    return {
      emulator,
      seed(value) {
        const { state } = emulator;
        const customer = state.add("customers", {
          id: state.newId("customers"),
          object: "customer",
          created: state.seconds(),
          email: value,
          livemode: false,
          metadata: {},
          name: null,
        });
        return `${customer.id} (${value})`;
      },
    };
  },
};
