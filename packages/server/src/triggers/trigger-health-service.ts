import { createHash } from "node:crypto";
import {
  type Clock,
  type Job,
  pollingHealth,
  subscriptionHealth,
  type Tier1HealthStatus,
  type Trigger,
  type TriggerHealthVerdict,
  type TriggerStateRecord,
  type TriggerStateStore,
} from "@autoflow/core";
import type { ProviderLifecycles } from "../http/app";
import type { WebhookSecretStore } from "../stores/webhook-secret-store";
import type { WorkflowService } from "../workflow-service";
import type { SubscriptionScheduler, WantedSubscription } from "./subscription-scheduler";

/** Whose trigger it is: a stored workflow's, or a code job's (`jobs` given to the service). */
export type TriggerOwner = { workflowId: string } | { jobId: string };

/** One trigger as `GET /api/triggers/:id` shows it: the spec-003 health envelope plus what it is and its timings. */
export interface TriggerView extends TriggerHealthVerdict {
  id: string;
  provider: string;
  key: string;
  owner: TriggerOwner;
  connectionId: string | null;
  kind: "webhook" | "polling";
  /** ISO-8601. */
  checkedAt: string;
  lastEventAt: string | null;
  lastPollAt: string | null;
  cursorAgeSeconds: number | null;
  subscriptionExpiresAt: string | null;
  lastRenewedAt: string | null;
  consecutiveFailures: number;
}

/** Counts by status: what the connection health envelope's additive `triggers` field shows. */
export type TriggerSummary = Record<Tier1HealthStatus, number>;

/** The API id of a job's or workflow's trigger: stable, and not the job's or workflow's own id. */
export function triggerApiId(owner: TriggerOwner): string {
  const source = "jobId" in owner ? `job\n${owner.jobId}` : `workflow\n${owner.workflowId}`;
  return `trg_${createHash("sha256").update(source).digest("hex").slice(0, 24)}`;
}

/** Options for `createTriggerHealthService`. */
export interface TriggerHealthServiceOptions {
  jobs: readonly Job[];
  /** The user who owns the code jobs' triggers (`jobsUserId`); without one, nobody sees them. */
  jobsUserId?: string;
  workflows: WorkflowService;
  providers: ProviderLifecycles;
  states: TriggerStateStore;
  registrations: WebhookSecretStore;
  /** Set once the service listens (the hooks' URL is known then). */
  scheduler: () => SubscriptionScheduler | undefined;
  /** The interval the service polls at when it overrides the triggers' own. */
  pollIntervalMs?: number;
  clock?: Pick<Clock, "now">;
}

/** Trigger health, per user. */
export interface TriggerHealthService {
  list(userId: string): Promise<TriggerView[]>;
  /** `undefined` for an unknown id or another user's trigger. */
  get(userId: string, id: string): Promise<TriggerView | undefined>;
  /** The user's triggers on `provider`, counted by status. */
  summary(userId: string, provider: string): Promise<TriggerSummary>;
  /** Records a delivery or polled item that started a run of the trigger. */
  recordEvent(owner: TriggerOwner): Promise<void>;
  /** Every subscription the jobs and stored workflows need (the scheduler's `wanted`). */
  wanted(): Promise<WantedSubscription[]>;
}

interface OwnedTrigger {
  owner: TriggerOwner;
  userId: string;
  key: string;
  trigger: Trigger<unknown>;
  /** The connection a stored workflow's trigger was checked with (a poller lists with it). */
  connectionId?: string;
}

/** Trigger health over the stores: what the jobs and workflows need, and what the scheduler and pollers recorded. */
export function createTriggerHealthService(options: TriggerHealthServiceOptions): TriggerHealthService {
  const now = () => options.clock?.now() ?? Date.now();
  const iso = (ms = now()) => new Date(ms).toISOString();

  const owned = async (userId?: string): Promise<OwnedTrigger[]> => {
    const found: OwnedTrigger[] = [];
    const { jobsUserId } = options;
    if (jobsUserId !== undefined && (userId === undefined || userId === jobsUserId)) {
      for (const job of options.jobs) {
        if (!job.trigger) continue;
        const trigger = job.trigger;
        // The catalogue key where the provider's factory has one, as a stored workflow's trigger shows.
        const key =
          trigger.key ??
          (trigger.kind === "polling"
            ? trigger.id
            : (trigger.registration?.key ?? `${trigger.provider}.webhook`));
        found.push({ owner: { jobId: job.id }, userId: jobsUserId, key, trigger });
      }
    }
    for (const { workflow, trigger } of await options.workflows.listTriggers(userId)) {
      const key = workflow.definition.trigger?.key ?? `${trigger.provider}.webhook`;
      found.push({
        owner: { workflowId: workflow.id },
        userId: workflow.userId,
        key,
        trigger,
        ...(workflow.triggerScope && { connectionId: workflow.triggerScope.connectionId }),
      });
    }
    return found;
  };

  const wantedOf = (item: OwnedTrigger): WantedSubscription | undefined => {
    const { trigger } = item;
    if (trigger.kind !== "webhook" || !trigger.registration) return undefined;
    const owner = "jobId" in item.owner ? `job ${item.owner.jobId}` : `workflow ${item.owner.workflowId}`;
    return { provider: trigger.provider, registration: trigger.registration, userId: item.userId, owner };
  };

  const newestConnection = async (provider: string, userId: string): Promise<string | null> => {
    const lifecycle = options.providers[provider];
    if (!lifecycle) return null;
    return (await lifecycle.listConnections(userId)).filter((c) => !c.needsReauth).at(-1)?.id ?? null;
  };

  const view = async (item: OwnedTrigger): Promise<TriggerView> => {
    const at = now();
    const id = triggerApiId(item.owner);
    const events = await options.states.getTriggerState(id);
    const { trigger } = item;
    const base = {
      id,
      provider: trigger.provider,
      key: item.key,
      owner: item.owner,
      kind: trigger.kind,
      checkedAt: iso(at),
    };
    if (trigger.kind === "polling") {
      const state = await options.states.getTriggerState(trigger.id);
      const verdict = pollingHealth(state, options.pollIntervalMs ?? trigger.intervalMs, at);
      return {
        ...base,
        connectionId: item.connectionId ?? null,
        ...verdict,
        lastEventAt: latest(state?.lastEventAt, events?.lastEventAt),
        lastPollAt: state?.lastSuccessAt ?? null,
        cursorAgeSeconds: state?.cursorSavedAt
          ? Math.max(0, Math.round((at - Date.parse(state.cursorSavedAt)) / 1000))
          : null,
        subscriptionExpiresAt: null,
        lastRenewedAt: null,
        consecutiveFailures: state?.consecutiveFailures ?? 0,
      };
    }
    const timings = { lastEventAt: events?.lastEventAt ?? null, lastPollAt: null, cursorAgeSeconds: null };
    const wanted = wantedOf(item);
    const resolved = wanted && (await options.scheduler()?.resolve(wanted));
    const connectionId = resolved?.connectionId ?? (await newestConnection(trigger.provider, item.userId));
    if (connectionId === null) {
      return {
        ...base,
        connectionId,
        status: "down",
        details: {
          auth: false,
          apiReachable: true,
          rateLimited: false,
          errorType: "auth",
          message: `no live ${trigger.provider} connection: deliveries do not reach this trigger`,
        },
        ...timings,
        subscriptionExpiresAt: null,
        lastRenewedAt: null,
        consecutiveFailures: 0,
      };
    }
    if (!resolved) {
      // Deliveries arrive without a hook the service keeps (an app-level subscription, a hook made by hand).
      return {
        ...base,
        connectionId,
        status: "ok",
        details: { auth: true, apiReachable: true, rateLimited: false },
        ...timings,
        subscriptionExpiresAt: null,
        lastRenewedAt: null,
        consecutiveFailures: 0,
      };
    }
    const record = (await options.registrations.listRegistrations()).find(
      (r) => r.key === resolved.recordKey,
    );
    const state: TriggerStateRecord | undefined = await options.states.getTriggerState(resolved.recordKey);
    return {
      ...base,
      connectionId,
      ...subscriptionHealth(state, record?.status === "active", at),
      ...timings,
      subscriptionExpiresAt: state?.expiresAt ?? null,
      lastRenewedAt: state?.lastRenewedAt ?? null,
      consecutiveFailures: state?.consecutiveFailures ?? 0,
    };
  };

  return {
    async list(userId) {
      return Promise.all((await owned(userId)).map(view));
    },
    async get(userId, id) {
      const found = (await owned(userId)).find((item) => triggerApiId(item.owner) === id);
      return found && view(found);
    },
    async summary(userId, provider) {
      const counts: TriggerSummary = { ok: 0, degraded: 0, down: 0 };
      for (const item of await owned(userId)) {
        if (item.trigger.provider === provider) counts[(await view(item)).status]++;
      }
      return counts;
    },
    async recordEvent(owner) {
      const id = triggerApiId(owner);
      const state = (await options.states.getTriggerState(id)) ?? {
        id,
        firstSeenAt: iso(),
        consecutiveFailures: 0,
      };
      await options.states.saveTriggerState({ ...state, lastEventAt: iso() });
    },
    async wanted() {
      return (await owned()).map(wantedOf).filter((w): w is WantedSubscription => w !== undefined);
    },
  };
}

function latest(a: string | undefined, b: string | undefined): string | null {
  if (a === undefined) return b ?? null;
  if (b === undefined) return a;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}
