import { actionsHarness } from "@autoflow/actions/testing";
import { StripeEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stripeAction } from "../src/actions/stripe-action";
import { stripeProvider } from "../src/provider";

// Stripe's registry actions, through the worker and the Stripe class, against the emulator: a secret key in the
// vault, and the options the service derives from AUTOFLOW_STRIPE_API_URL, with a short timeout.
const stripe = new StripeEmulator();
const { registry, run: runSteps } = actionsHarness(stripeProvider.actions, () => ({
  vault: { "cred-stripe": { provider: "stripe", type: "api_key", api_key: stripe.mintToken() } },
  providers: { stripe: { ...stripeProvider.clientOptions({ apiUrl: stripe.apiUrl }), timeoutMs: 2_000 } },
}));
beforeAll(() => stripe.start());
afterAll(() => stripe.stop());

describe("stripe's registry actions", () => {
  it("are listed with the provider and the credentials every stripe action takes", () => {
    const [customer, payment] = registry.list();
    expect(customer).toMatchObject({ key: "stripe.createCustomer", ...stripeAction });
    expect(payment).toMatchObject({
      key: "stripe.createPaymentIntent",
      inputSchema: { required: ["amount", "currency"] },
    });
    const bad = { amount: 12.5, currency: "usd" };
    expect(registry.get("stripe.createPaymentIntent").inputSchema.safeParse(bad).success).toBe(false);
  });

  it("stripe.createCustomer and stripe.createPaymentIntent create one customer and one charge", async () => {
    const { result } = await runSteps([
      {
        id: "customer",
        action: "stripe.createCustomer",
        inputs: { email: "ada@example.com", name: "Ada" },
        credentialId: "cred-stripe",
      },
      {
        id: "charge",
        action: "stripe.createPaymentIntent",
        inputs: {
          amount: 1999,
          currency: "usd",
          customer: { $ref: "steps.customer.output.id" },
          payment_method: "pm_card_visa",
          confirm: true,
        },
        credentialId: "cred-stripe",
      },
    ]);
    expect(result.status, JSON.stringify(result)).toBe("completed");
    const steps = result.status === "completed" ? result.output.steps : [];
    expect(steps[1]?.output).toMatchObject({ status: "succeeded", amount: 1999 });
    const [customer] = stripe.state.list("customers");
    expect(customer).toMatchObject({ email: "ada@example.com", name: "Ada" });
    expect(stripe.state.list("payment_intents")).toHaveLength(1);
    // Each write went out with the step's idempotency key.
    const posts = stripe.requests.filter((r) => r.method === "POST");
    expect(posts.every((r) => typeof r.headers["idempotency-key"] === "string")).toBe(true);
  });
});
