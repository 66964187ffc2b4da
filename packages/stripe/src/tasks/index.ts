// The Stripe task classes' public exports, re-exported by src/index.ts.
export { Balance } from "./balance";
export { Checkout, Sessions } from "./checkout";
export { Customers } from "./customers";
export { Invoices } from "./invoices";
export { PaymentIntents } from "./payment-intents";
export { Prices } from "./prices";
export { Products } from "./products";
export { Refunds } from "./refunds";
export { Subscriptions } from "./subscriptions";
export { WebhookEndpoints } from "./webhook-endpoints";
