import { stripeCreateCustomer } from "./create-customer";
import { stripeCreatePaymentIntent } from "./create-payment-intent";

export { stripeCreateCustomer } from "./create-customer";
export { stripeCreatePaymentIntent } from "./create-payment-intent";

/** Stripe's registry actions, in the order the builder lists them. */
export const stripeActions = [stripeCreateCustomer, stripeCreatePaymentIntent] as const;
