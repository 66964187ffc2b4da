import { randomBytes } from "node:crypto";
import {
  type ConnectionAuth,
  type ConnectionStore,
  type Job,
  toConnectionAuth,
  type WebhookRegistration,
} from "@autoflow/core";
import type { ProviderConfig } from "./config";
import type { ProviderLifecycles } from "./http/app";
import type { Logger } from "./logger";
import type { WebhookRegistrationRecord, WebhookSecretStore } from "./stores/webhook-secret-store";
import type { WebhookProvider } from "./webhooks";

/** Options for `syncWebhookRegistrations`. */
export interface WebhookRegistrationsOptions {
  jobs: readonly Job[];
  /** Whose connection creates the hooks (`jobsUserId`); without one nothing is registered. */
  userId?: string;
  providers: ProviderLifecycles;
  webhookProviders: readonly WebhookProvider[];
  configs: Readonly<Record<string, ProviderConfig>>;
  connections: ConnectionStore;
  store: WebhookSecretStore;
  /** The service's public base URL: hooks deliver to `<baseUrl>/api/webhooks/<provider>/<connectionId>`. */
  baseUrl: string;
  log?: Logger;
  now?: () => number;
}

interface Wanted {
  provider: string;
  registration: WebhookRegistration;
  jobIds: string[];
}

/**
 * Makes the provider-side webhooks match the jobs: every registration key a job's trigger has gets one hook,
 * created with the newest connection of `userId` for the trigger's provider and delivering to that connection's
 * webhook URL; a stored hook whose key no job uses anymore (or whose URL or connection changed) is removed with
 * its secret. Each hook's secret is stored before the hook exists, so no delivery arrives unverifiable.
 * Idempotent: with the same jobs, URL and connection a second call changes nothing. Never throws; failures are
 * logged and retried on the next call.
 */
export async function syncWebhookRegistrations(options: WebhookRegistrationsOptions): Promise<void> {
  try {
    await sync(options);
  } catch (error) {
    options.log?.error(`Syncing the webhook registrations failed: ${messageOf(error)}`);
  }
}

async function sync(options: WebhookRegistrationsOptions): Promise<void> {
  const { log, store } = options;
  const wanted = new Map<string, Wanted>();
  for (const job of options.jobs) {
    const trigger = job.trigger;
    if (trigger?.kind !== "webhook" || !trigger.registration) continue;
    const found = wanted.get(trigger.registration.key);
    if (found) found.jobIds.push(job.id);
    else
      wanted.set(trigger.registration.key, {
        provider: trigger.provider,
        registration: trigger.registration,
        jobIds: [job.id],
      });
  }

  const targets = new Map<string, { connectionId: string; url: string } | undefined>();
  const targetOf = async (provider: string) => {
    if (!targets.has(provider)) targets.set(provider, await connectionTarget(options, provider));
    return targets.get(provider);
  };

  const keep = new Set<string>();
  for (const record of await store.listRegistrations()) {
    const want = wanted.get(record.key);
    const target = want && (await targetOf(want.provider));
    if (target && target.connectionId === record.connectionId && target.url === record.url) {
      keep.add(record.key);
      continue;
    }
    // A failed removal keeps the record (and its key's hook) until the next start retries it.
    if (!(await removeRegistration(options, record, want?.registration))) keep.add(record.key);
  }

  for (const [key, want] of wanted) {
    if (keep.has(key)) continue;
    const target = await targetOf(want.provider);
    if (!target) {
      log?.warn(
        `No ${want.provider} connection for ${options.userId === undefined ? "the jobs (jobsUserId is not set)" : `user ${options.userId}`}: ` +
          `the webhook for ${key} (jobs ${want.jobIds.join(", ")}) is not created; ` +
          `they still run for deliveries to POST /api/webhooks/${want.provider}`,
      );
      continue;
    }
    await createRegistration(options, key, want, target);
  }
}

async function connectionTarget(
  options: WebhookRegistrationsOptions,
  provider: string,
): Promise<{ connectionId: string; url: string } | undefined> {
  const lifecycle = options.providers[provider];
  if (options.userId === undefined || !lifecycle) return undefined;
  // The newest live connection whose credential can be read: the one `authFor` gives the jobs' runs.
  const connection = (await lifecycle.listConnections(options.userId))
    .filter((listed) => !listed.needsReauth)
    .at(-1);
  if (!connection) return undefined;
  return {
    connectionId: connection.id,
    url: `${options.baseUrl}/api/webhooks/${provider}/${encodeURIComponent(connection.id)}`,
  };
}

async function authOf(
  options: WebhookRegistrationsOptions,
  connectionId: string,
): Promise<ConnectionAuth | undefined> {
  const connection = await options.connections.getConnection(connectionId);
  const lifecycle = connection && options.providers[connection.provider];
  if (!connection || connection.revokedAt || !lifecycle) return undefined;
  return toConnectionAuth(await lifecycle.normalizedAuthFor(connection.userId, connection.id));
}

async function createRegistration(
  options: WebhookRegistrationsOptions,
  key: string,
  want: Wanted,
  target: { connectionId: string; url: string },
): Promise<void> {
  const { store, log } = options;
  const now = new Date((options.now ?? Date.now)()).toISOString();
  const secretId = key;
  let secretSaved = false;
  try {
    const auth = await authOf(options, target.connectionId);
    if (!auth) throw new Error(`connection ${target.connectionId} is not usable`);
    const secret = randomBytes(32).toString("hex");
    // First: a delivery the provider sends as soon as the hook exists (a hook's ping) must verify.
    await store.saveSecret({
      connectionId: target.connectionId,
      secretId,
      provider: want.provider,
      secret,
      createdAt: now,
    });
    secretSaved = true;
    const { externalId } = await want.registration.register({ url: target.url, auth, secret });
    await store.saveRegistration({
      key,
      provider: want.provider,
      connectionId: target.connectionId,
      url: target.url,
      externalId,
      secretId,
      createdAt: now,
    });
    log?.info(
      `Registered the ${want.provider} webhook for ${key} (hook ${externalId}) delivering to ${target.url}`,
    );
  } catch (error) {
    if (secretSaved) await store.deleteSecret(target.connectionId, secretId).catch(() => false);
    log?.error(`Registering the ${want.provider} webhook for ${key} failed: ${messageOf(error)}`);
  }
}

/** Removes the hook (an already-gone hook is fine), then the record and its secret; false when the hook may remain. */
async function removeRegistration(
  options: WebhookRegistrationsOptions,
  record: WebhookRegistrationRecord,
  registration: WebhookRegistration | undefined,
): Promise<boolean> {
  const { store, log } = options;
  try {
    const auth = await authOf(options, record.connectionId);
    const provider = options.webhookProviders.find((p) => p.id === record.provider);
    const config = options.configs[record.provider];
    // The trigger's own unregister while a job still has it; the provider's, from the key alone, once none does.
    const unregister =
      registration?.unregister.bind(registration) ??
      (provider?.unregister &&
        ((context: { auth: ConnectionAuth; externalId: string }) =>
          provider.unregister?.({ ...context, key: record.key, ...(config && { config }) })));
    if (auth && unregister) {
      await unregister({ auth, externalId: record.externalId });
      log?.info(`Removed the ${record.provider} webhook for ${record.key} (hook ${record.externalId})`);
    } else {
      log?.warn(
        `Can't remove the ${record.provider} webhook for ${record.key} (hook ${record.externalId}): ` +
          `${auth ? "the provider cannot remove hooks" : `connection ${record.connectionId} is gone`}; remove it by hand`,
      );
    }
    await store.deleteRegistration(record.key);
    await store.deleteSecret(record.connectionId, record.secretId);
    return true;
  } catch (error) {
    log?.error(`Removing the ${record.provider} webhook for ${record.key} failed: ${messageOf(error)}`);
    return false;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
