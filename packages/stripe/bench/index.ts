/**
 * @module
 * Stripe's rows in the bench (`bench/`, never published): what each section calls on Stripe and its emulator. The
 * bench type-checks and loads this file because `@autoflow/providers` lists Stripe; see
 * `bench/src/provider-bench.ts`.
 */
import { StripeEmulator } from "@autoflow/emulators";
import { createStripeClient, Stripe } from "@autoflow/stripe";
import StripeSdk from "stripe";
import type { ProviderBench } from "../../../bench/src/provider-bench";
import { LOST_ANSWER_CASES, marked } from "./lost-answer-cases";

type Integrations = { stripe: Stripe };

export const bench = {
  name: "Stripe",
  emulator: (options) => new StripeEmulator(options),
  integrations: ({ apiUrl, token }, timeoutMs) => ({
    stripe: new Stripe({ id: "stripe", token, apiBaseUrl: apiUrl, timeoutMs }),
  }),
  overhead: {
    call: "customers.create",
    sdk: ({ apiUrl, token }, timeoutMs) => {
      const client = createStripeClient(token, { apiBaseUrl: apiUrl, timeoutMs });
      return (i) => client.customers.create({ name: `sdk ${i}` });
    },
    task: (io, i) => io.stripe.customers.create(["customer", i], { name: `task ${i}` }),
  },
  rateLimit: {
    call: "customers.create",
    refusedWith: [429],
    refusal: "Stripe 429 rate_limit with Retry-After",
    sdk: {
      label: "`stripe` defaults (maxNetworkRetries: 2, its own backoff)",
      client: ({ apiUrl, token }) => {
        const url = new URL(apiUrl);
        const client = new StripeSdk(token, { host: url.hostname, port: url.port, protocol: "http" });
        return (i) => client.customers.create({ name: `sdk ${i}` });
      },
    },
    runtime: {
      label:
        "io.stripe.customers.create in a job (runtime retry + rate-limit bucket, Idempotency-Key per task)",
      task: (io, i) => io.stripe.customers.create(["create", i], { name: `task ${i}` }),
    },
  },
  coldStart: { package: "@autoflow/stripe", sdk: "stripe" },
  effectivelyOnce: {
    lostAnswers: LOST_ANSWER_CASES,
    crashRun: {
      steps: [
        { task: "paymentIntents.create", effect: "Stripe PaymentIntent" },
        { task: "refunds.create", effect: "Stripe refund" },
      ],
      run: async (io, mark) => {
        const intent = await io.stripe.paymentIntents.create("charge", {
          amount: 3000,
          currency: "usd",
          payment_method: "pm_card_visa",
          confirm: true,
          metadata: { marker: mark },
        });
        await io.stripe.refunds.create("refund", {
          payment_intent: intent.id,
          amount: 500,
          metadata: { marker: mark },
        });
      },
      count: (emulator, mark) => [
        marked(emulator, "payment_intents", mark),
        marked(emulator, "refunds", mark),
      ],
    },
  },
} satisfies ProviderBench<Integrations, StripeEmulator>;
