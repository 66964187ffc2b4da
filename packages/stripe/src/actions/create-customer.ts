import { defineAction, integrationFor } from "@autoflow/actions";
import { z } from "zod";
import { Stripe } from "../index";
import { stripeAction } from "./stripe-action";

/** `stripe.createCustomer` -> `customers.create`, sent once with the step's idempotency key. */
export const stripeCreateCustomer = defineAction({
  ...stripeAction,
  key: "stripe.createCustomer",
  name: "Create customer",
  description: "Creates a Stripe customer.",
  inputSchema: z.object({
    email: z
      .string()
      .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/)
      .describe("The customer's email address"),
    name: z.string().min(1).optional().describe("The customer's full name or business name"),
    metadata: z.record(z.string(), z.string()).optional().describe("Key-value pairs kept on the customer"),
  }),
  examples: [
    { email: "ada@example.com", name: "Ada Lovelace" },
    { email: "billing@acme.example", metadata: { plan: "pro" } },
  ],
  outputSchema: z.object({ id: z.string(), email: z.string().nullable() }),
  run: async (ctx) => {
    const { email, name, metadata } = ctx.inputs;
    const customer = await integrationFor(ctx, Stripe).customers.create("customers.create", {
      email,
      ...(name !== undefined && { name }),
      ...(metadata !== undefined && { metadata }),
    });
    return { id: customer.id, email: customer.email ?? null };
  },
});
