import { randomBytes } from "node:crypto";
import {
  type Clock,
  type ConnectionAuth,
  type ConnectionStore,
  IntegrationError,
  type TriggerStateRecord,
  type TriggerStateStore,
  toConnectionAuth,
  type WebhookRegistration,
} from "@autoflow/core";
import type { ProviderConfig } from "../config";
import type { ProviderLifecycles } from "../http/app";
import type { Logger } from "../logger";
import {
  registrationKeyOf,
  registrationRecordKey,
  type WebhookRegistrationRecord,
  type WebhookSecretStore,
} from "../stores/webhook-secret-store";
import type { WebhookProvider } from "../webhooks";

/** A subscription some trigger needs: its registration, with whose connection, for whom. */
export interface WantedSubscription {
  provider: string;
  registration: WebhookRegistration;
  /** The user whose newest usable connection for `provider` creates the hook. */
  userId: string;
  /** Who needs it, for the logs (`job on-issue`, `workflow wf_1`). */
  owner: string;
}

/** A wanted subscription with its connection resolved: what one record is kept for. */
export interface ResolvedSubscription extends WantedSubscription {
  recordKey: string;
  connectionId: string;
  url: string;
}

/** How a failed creation, renewal or verification is tried again: 1 min, 2, 4, ... at most 1 h apart. */
export const subscriptionBackoff = {
  minTimeoutInMs: 60_000,
  factor: 2,
  maxTimeoutInMs: 60 * 60_000,
} as const;

/** How often `verify` runs for a registration that does not say. */
export const DEFAULT_VERIFY_INTERVAL_MS = 60 * 60_000;

/** Options for `createSubscriptionScheduler`. */
export interface SubscriptionSchedulerOptions {
  /** Every subscription the jobs and stored workflows need now (asked on every sync). */
  wanted: () => Promise<WantedSubscription[]>;
  providers: ProviderLifecycles;
  webhookProviders: readonly WebhookProvider[];
  configs: Readonly<Record<string, ProviderConfig>>;
  connections: ConnectionStore;
  store: WebhookSecretStore;
  states: TriggerStateStore;
  /** The service's public base URL: hooks deliver to `<baseUrl>/api/webhooks/<provider>/<connectionId>`. */
  baseUrl: string;
  clock: Pick<Clock, "now">;
  log?: Logger;
  /** How often the scheduler wakes on its own to renew, verify and retry. Default 60 s; 0 never (tests call `sync`). */
  tickMs?: number;
}

/** The running scheduler. */
export interface SubscriptionScheduler {
  /**
   * Makes the provider-side subscriptions match what the triggers need and keeps them alive: creates missing
   * ones (intent recorded first, an existing hook to our URL adopted), renews at two thirds of their lifetime,
   * verifies them and re-creates one the provider removed or turned off, retries failures with backoff, and
   * removes what nothing needs. Concurrent calls share one pass plus one follow-up. Never throws.
   */
  sync(): Promise<void>;
  /** `sync` in the background: a connection or workflow changed. */
  wake(): void;
  /** The record key of a wanted subscription once resolved (for health), or `undefined` without a usable connection. */
  resolve(wanted: WantedSubscription): Promise<ResolvedSubscription | undefined>;
  close(): Promise<void>;
}

/** Creates the scheduler and starts its timer. */
export function createSubscriptionScheduler(options: SubscriptionSchedulerOptions): SubscriptionScheduler {
  const { log, store, states } = options;
  const now = () => options.clock.now();
  const iso = (ms = now()) => new Date(ms).toISOString();
  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;

  const resolve = async (wanted: WantedSubscription): Promise<ResolvedSubscription | undefined> => {
    const lifecycle = options.providers[wanted.provider];
    if (!lifecycle) return undefined;
    // The newest live connection whose credential can be read: the one `authFor` gives the user's runs.
    const connection = (await lifecycle.listConnections(wanted.userId)).filter((c) => !c.needsReauth).at(-1);
    if (!connection) return undefined;
    return {
      ...wanted,
      connectionId: connection.id,
      recordKey: registrationRecordKey(wanted.registration.key, connection.id),
      url: `${options.baseUrl}/api/webhooks/${wanted.provider}/${encodeURIComponent(connection.id)}`,
    };
  };

  const authOf = async (connectionId: string): Promise<ConnectionAuth | undefined> => {
    const connection = await options.connections.getConnection(connectionId);
    const lifecycle = connection && options.providers[connection.provider];
    if (!connection || connection.revokedAt || !lifecycle) return undefined;
    return toConnectionAuth(await lifecycle.normalizedAuthFor(connection.userId, connection.id));
  };

  const stateOf = async (id: string): Promise<TriggerStateRecord> =>
    (await states.getTriggerState(id)) ?? { id, firstSeenAt: iso(), consecutiveFailures: 0 };

  /** Stores (or replaces) the secret deliveries for an intent are verified with. */
  const saveSecretOf = (want: ResolvedSubscription, secret: string) =>
    store.saveSecret({
      connectionId: want.connectionId,
      secretId: want.recordKey,
      provider: want.provider,
      secret,
      createdAt: iso(),
    });

  /** The stored secret of an intent (a retry after a crash must sign as the hook it may have created), else a new one. */
  const secretFor = async (want: ResolvedSubscription): Promise<string> => {
    const stored = (await store.listSecrets(want.connectionId)).find((s) => s.secretId === want.recordKey);
    if (stored) return stored.secret;
    const secret = randomBytes(32).toString("hex");
    // First: a delivery the provider sends as soon as the hook exists (a hook's ping) must verify.
    await saveSecretOf(want, secret);
    return secret;
  };

  /** Creates the subscription (or adopts one a crash left unrecorded) and records it; throws on failure. */
  const create = async (want: ResolvedSubscription, state: TriggerStateRecord) => {
    const auth = await authOf(want.connectionId);
    if (!auth) throw new Error(`connection ${want.connectionId} is not usable`);
    const secret = await secretFor(want);
    const pending: WebhookRegistrationRecord = {
      key: want.recordKey,
      provider: want.provider,
      connectionId: want.connectionId,
      url: want.url,
      externalId: "",
      secretId: want.recordKey,
      createdAt: iso(),
      status: "pending",
    };
    // The intent, before anything exists at the provider: a crash after the hook is created leaves this record,
    // and the next attempt finds that hook instead of creating a second one.
    await store.saveRegistration(pending);
    const context = { url: want.url, auth, secret };
    // A hook to our URL already there (a crash after creating it, an earlier record lost) is adopted, never doubled.
    const adopted = want.registration.find ? await want.registration.find(context) : undefined;
    const grant = adopted ?? (await want.registration.register(context));
    // A provider that made its own signing secret (shown once, in its create answer) signs with that one from now on.
    if (grant.secret !== undefined) await saveSecretOf(want, grant.secret);
    await store.saveRegistration({ ...pending, externalId: grant.externalId, status: "active" });
    const at = iso();
    if (grant.expiresAt) state.expiresAt = grant.expiresAt;
    else delete state.expiresAt;
    state.lastRenewedAt = at;
    state.lastVerifiedAt = at;
    if (state.lastGap && state.lastGap.to === undefined) state.lastGap.to = at;
    log?.info(
      `${adopted ? "Adopted" : "Registered"} the ${want.provider} webhook for ${want.registration.key} ` +
        `(hook ${grant.externalId}, ${want.owner}) delivering to ${want.url}`,
    );
  };

  /** Renews, verifies or (re-)creates one wanted subscription as due; records the outcome in its state. */
  const maintain = async (
    want: ResolvedSubscription,
    record: WebhookRegistrationRecord | undefined,
    backoff: boolean,
  ) => {
    const state = await stateOf(want.recordKey);
    const at = now();
    if (backoff && state.retryAt !== undefined && Date.parse(state.retryAt) > at) return;
    const { registration } = want;
    let acted = true;
    try {
      if (!record || record.status === "pending") {
        await create(want, state);
      } else if (state.expiresAt && at >= Date.parse(state.expiresAt)) {
        // Renewal came too late (or kept failing): the provider dropped it, so it is created anew.
        state.lastGap = { from: state.expiresAt };
        log?.warn(
          `The ${want.provider} subscription for ${registration.key} expired at ${state.expiresAt}: re-creating it`,
        );
        await store.deleteRegistration(record.key);
        await create(want, state);
      } else if (registration.renew && state.expiresAt && at >= renewAt(state, record)) {
        const auth = await authOf(want.connectionId);
        if (!auth) throw new Error(`connection ${want.connectionId} is not usable`);
        const grant = await registration.renew({
          auth,
          externalId: record.externalId,
          url: want.url,
          secret: await secretFor(want),
        });
        if (grant.secret !== undefined) await saveSecretOf(want, grant.secret);
        if (grant.externalId !== record.externalId)
          await store.saveRegistration({ ...record, externalId: grant.externalId });
        if (grant.expiresAt) state.expiresAt = grant.expiresAt;
        state.lastRenewedAt = iso();
        log?.info(
          `Renewed the ${want.provider} subscription for ${registration.key} until ${grant.expiresAt}`,
        );
      } else if (
        registration.verify &&
        at - Date.parse(state.lastVerifiedAt ?? record.createdAt) >=
          (registration.verifyIntervalMs ?? DEFAULT_VERIFY_INTERVAL_MS)
      ) {
        const auth = await authOf(want.connectionId);
        if (!auth) throw new Error(`connection ${want.connectionId} is not usable`);
        const check = await registration.verify({ auth, externalId: record.externalId });
        if (check === "active") {
          state.lastVerifiedAt = iso();
        } else {
          // Deliveries may have been lost since it was last known good: health reports the gap.
          state.lastGap = { from: state.lastVerifiedAt ?? record.createdAt };
          log?.warn(
            `The ${want.provider} webhook for ${registration.key} (hook ${record.externalId}) is ${check} at the provider: re-creating it`,
          );
          if (check === "inactive") await registration.unregister({ auth, externalId: record.externalId });
          await store.deleteRegistration(record.key);
          await create(want, state);
        }
      } else {
        acted = false;
      }
      if (acted) {
        state.consecutiveFailures = 0;
        state.lastSuccessAt = iso();
        delete state.retryAt;
        delete state.lastError;
        delete state.lastErrorType;
      }
    } catch (error) {
      state.consecutiveFailures++;
      state.lastError = messageOf(error);
      state.lastErrorType = IntegrationError.isInstance(error) ? error.type : "upstream";
      state.retryAt = iso(at + backoffMs(state.consecutiveFailures));
      log?.error(
        `The ${want.provider} subscription for ${registration.key} (${want.owner}) failed ` +
          `(${state.consecutiveFailures} in a row, next try ${state.retryAt}): ${state.lastError}`,
      );
    }
    if (acted) state.lastAttemptAt = iso(at);
    await states.saveTriggerState(state);
  };

  /** Removes the hook (an already-gone one is fine), then the record, its secret and state; false when it may remain. */
  const remove = async (record: WebhookRegistrationRecord, registration: WebhookRegistration | undefined) => {
    const key = registrationKeyOf(record.key);
    try {
      const auth = await authOf(record.connectionId);
      const provider = options.webhookProviders.find((p) => p.id === record.provider);
      const config = options.configs[record.provider];
      // The trigger's own unregister while a trigger still has it; the provider's, from the key alone, once none does.
      const unregister =
        registration?.unregister.bind(registration) ??
        (provider?.unregister &&
          ((context: { auth: ConnectionAuth; externalId: string }) =>
            provider.unregister?.({ ...context, key, ...(config && { config }) })));
      let externalId = record.externalId;
      if (record.status === "pending" && auth && registration?.find) {
        const secret = (await store.listSecrets(record.connectionId)).find(
          (s) => s.secretId === record.secretId,
        );
        externalId =
          (await registration.find({ url: record.url, auth, secret: secret?.secret ?? "" }))?.externalId ??
          "";
      }
      if (externalId === "") {
        log?.info(`Dropped the ${record.provider} webhook intent for ${key}: no hook was created`);
      } else if (auth && unregister) {
        await unregister({ auth, externalId });
        log?.info(`Removed the ${record.provider} webhook for ${key} (hook ${externalId})`);
      } else {
        log?.warn(
          `Can't remove the ${record.provider} webhook for ${key} (hook ${externalId}): ` +
            `${auth ? "the provider cannot remove hooks" : `connection ${record.connectionId} is gone`}; remove it by hand`,
        );
      }
      await store.deleteRegistration(record.key);
      await store.deleteSecret(record.connectionId, record.secretId);
      await states.deleteTriggerState(record.key);
      return true;
    } catch (error) {
      log?.error(`Removing the ${record.provider} webhook for ${key} failed: ${messageOf(error)}`);
      return false;
    }
  };

  // The first pass of a process tries everything now: a restart is when an intent a crash left is completed.
  let started = false;
  const pass = async () => {
    const backoff = started;
    started = true;
    const wanted = new Map<string, ResolvedSubscription>();
    const byKey = new Map<string, WebhookRegistration>();
    for (const want of await options.wanted()) {
      byKey.set(want.registration.key, want.registration);
      const resolved = await resolve(want);
      if (!resolved) {
        log?.warn(
          `No ${want.provider} connection for user ${want.userId}: the webhook for ${want.registration.key} ` +
            `(${want.owner}) is not created; deliveries to POST /api/webhooks/${want.provider} still reach it`,
        );
        continue;
      }
      if (!wanted.has(resolved.recordKey)) wanted.set(resolved.recordKey, resolved);
    }
    const records = new Map((await store.listRegistrations()).map((r) => [r.key, r]));
    for (const record of records.values()) {
      const want = wanted.get(record.key);
      if (want && want.url === record.url) continue;
      // A failed removal keeps the record (and its hook) until the next pass retries it.
      if (await remove(record, byKey.get(registrationKeyOf(record.key)))) records.delete(record.key);
    }
    for (const want of wanted.values()) await maintain(want, records.get(want.recordKey), backoff);
  };

  const sync = (): Promise<void> => {
    if (closed) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await pass().catch((error: unknown) =>
          log?.error(`Syncing the trigger subscriptions failed: ${messageOf(error)}`),
        );
      } while (again && !closed);
    })().finally(() => {
      running = undefined;
    });
    return running;
  };

  const tickMs = options.tickMs ?? 60_000;
  const timer = tickMs > 0 ? setInterval(() => void sync(), tickMs) : undefined;
  timer?.unref();

  return {
    sync,
    wake: () => void sync(),
    resolve,
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      await running;
    },
  };
}

/** Two thirds into the lifetime since the last renewal (or creation). */
function renewAt(state: TriggerStateRecord, record: WebhookRegistrationRecord): number {
  const from = Date.parse(state.lastRenewedAt ?? record.createdAt);
  const expires = Date.parse(state.expiresAt ?? "");
  return from + ((expires - from) * 2) / 3;
}

function backoffMs(failures: number): number {
  const { minTimeoutInMs, factor, maxTimeoutInMs } = subscriptionBackoff;
  return Math.min(maxTimeoutInMs, minTimeoutInMs * factor ** Math.max(0, failures - 1));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
