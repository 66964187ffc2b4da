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

/**
 * One account's objects, as a call made on that account reads and writes them. Stripe keeps every object in the
 * account it was created on: another account's id is "No such ...", and lists hold the account's own objects only.
 */
export interface StripeObjects {
  /** Every account the emulator knows (the platform and the connected ones). */
  readonly accounts: ReadonlyMap<string, StripeAccount>;
  seconds(): number;
  newId(collection: CollectionName): string;
  add<T extends StripeObject>(collection: CollectionName, object: T): T;
  get(collection: CollectionName, id: string): StripeObject | undefined;
  remove(collection: CollectionName, id: string): boolean;
  list(collection: CollectionName, filter?: (object: StripeObject) => boolean): StripeObject[];
  /** Whether `id` is a customer of this account that was deleted (Stripe still answers it as deleted). */
  isDeletedCustomer(id: string): boolean;
  markCustomerDeleted(id: string): void;
}

/**
 * What the emulated Stripe holds: every account's objects, newest last, each collection keyed by id (ids are unique
 * across accounts, as Stripe's are), with the account each belongs to. Its own methods see every account (what a
 * test inspects); `of(account)` is what a call on one account sees.
 */
export class StripeState {
  private collections = new Map<CollectionName, Map<string, StripeObject>>();
  // The account each object belongs to, by id (kept when it is removed: a deleted customer stays its account's).
  private owners = new Map<string, string>();
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

  /** Keeps `object` in `account` (the platform's unless named). */
  add<T extends StripeObject>(collection: CollectionName, object: T, account = PLATFORM_ACCOUNT_ID): T {
    this.map(collection).set(object.id, object);
    this.owners.set(object.id, account);
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

  /** What a call made on `account` sees and changes: that account's objects only. */
  of(account: string): StripeObjects {
    const own = (id: string) => this.owners.get(id) === account;
    return {
      accounts: this.accounts,
      seconds: () => this.seconds(),
      newId: (collection) => this.newId(collection),
      add: (collection, object) => this.add(collection, object, account),
      get: (collection, id) => (own(id) ? this.get(collection, id) : undefined),
      remove: (collection, id) => own(id) && this.remove(collection, id),
      list: (collection, filter = () => true) => this.list(collection, (o) => own(o.id) && filter(o)),
      isDeletedCustomer: (id) => own(id) && this.deletedCustomers.has(id),
      markCustomerDeleted: (id) => {
        if (own(id)) this.deletedCustomers.add(id);
      },
    };
  }

  /** Every object created since the seed is gone; accounts stay, so the keys minted for them keep working. */
  reset(): void {
    this.collections = new Map();
    this.owners = new Map();
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
