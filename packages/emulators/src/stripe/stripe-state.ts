import { stripeId } from "./stripe-wire";

/** What the API answers: a Stripe object, a list page or a search result (`object` names which). */
export type StripeAnswer = { object: string; [field: string]: unknown };

/** A Stripe API object as the emulator keeps it: the wire shape itself (`id`, `object`, `created`, ...). */
export type StripeObject = StripeAnswer & { id: string };

/** The collections the emulator keeps, by the id prefix of what they hold. */
export const COLLECTIONS = {
  customers: "cus",
  payment_intents: "pi",
  charges: "ch",
  checkout_sessions: "cs_test",
  subscriptions: "sub",
  subscription_items: "si",
  invoices: "in",
  refunds: "re",
  prices: "price",
  products: "prod",
  webhook_endpoints: "we",
  events: "evt",
} as const;

export type CollectionName = keyof typeof COLLECTIONS;

/** The platform account every minted key belongs to. */
export const PLATFORM_ACCOUNT_ID = "acct_1AutoFlowEmulator0";

/** A Stripe account: the platform, or one connected through Connect OAuth. */
export interface StripeAccount {
  id: string;
  email: string;
  displayName: string;
  country: string;
  defaultCurrency: string;
}

/** What the emulated Stripe account holds: its objects, newest last, each collection keyed by id. */
export class StripeState {
  private collections = new Map<CollectionName, Map<string, StripeObject>>();
  readonly accounts = new Map<string, StripeAccount>();
  /** Ids of deleted customers: Stripe still answers them, as `{ id, object, deleted: true }`. */
  readonly deletedCustomers = new Set<string>();

  constructor(private readonly now: () => number) {
    this.seedAccounts();
  }

  /** Seconds since the epoch on the emulator's clock: Stripe's timestamps. */
  seconds(): number {
    return Math.floor(this.now() / 1000);
  }

  /** A new id of the collection's kind. */
  newId(collection: CollectionName): string {
    return stripeId(COLLECTIONS[collection], collection === "checkout_sessions" ? 56 : 24);
  }

  add<T extends StripeObject>(collection: CollectionName, object: T): T {
    this.map(collection).set(object.id, object);
    return object;
  }

  get(collection: CollectionName, id: string): StripeObject | undefined {
    return this.map(collection).get(id);
  }

  remove(collection: CollectionName, id: string): boolean {
    return this.map(collection).delete(id);
  }

  /** Every object of the collection, newest first (Stripe's list order). */
  list(collection: CollectionName, filter: (object: StripeObject) => boolean = () => true): StripeObject[] {
    return [...this.map(collection).values()].filter(filter).reverse();
  }

  /** Every object created since the seed is gone; accounts stay, so the keys minted for them keep working. */
  reset(): void {
    this.collections = new Map();
    this.deletedCustomers.clear();
  }

  private map(collection: CollectionName): Map<string, StripeObject> {
    let map = this.collections.get(collection);
    if (!map) {
      map = new Map();
      this.collections.set(collection, map);
    }
    return map;
  }

  private seedAccounts(): void {
    this.accounts.set(PLATFORM_ACCOUNT_ID, {
      id: PLATFORM_ACCOUNT_ID,
      email: "owner@acme.example",
      displayName: "Acme Platform",
      country: "US",
      defaultCurrency: "usd",
    });
  }
}
