import type { IntegrationErrorType } from "../errors";
import type { Tier1HealthStatus } from "../health";

/**
 * What the service records about one trigger, one subscription or one poller, for its health: when it last
 * delivered, succeeded and failed, and for subscriptions when they lapse. Keyed by an id of the recorder's choosing
 * (a polling trigger's id, a subscription's record key, an API trigger id for events).
 */
export interface TriggerStateRecord {
  id: string;
  /** ISO-8601: when the trigger was first recorded (the reference for a poller that never succeeded). */
  firstSeenAt: string;
  /** ISO-8601: the last delivery or polled item that started a run. */
  lastEventAt?: string;
  /** ISO-8601: the last successful poll, renewal, verification or creation. */
  lastSuccessAt?: string;
  /** ISO-8601: the last attempt, successful or not. */
  lastAttemptAt?: string;
  /** Failed attempts since the last success. */
  consecutiveFailures: number;
  /** The taxonomy type of the last failure. */
  lastErrorType?: IntegrationErrorType;
  /** The last failure's message, scrubbed. */
  lastError?: string;
  /** ISO-8601: when the subscription lapses unless renewed. */
  expiresAt?: string;
  /** ISO-8601: the last successful renewal. */
  lastRenewedAt?: string;
  /** ISO-8601: the last time `verify` found the subscription active. */
  lastVerifiedAt?: string;
  /** The last gap: the subscription was found gone or inactive (`from`, the last time it was known good) and re-created (`to`). */
  lastGap?: { from: string; to?: string };
  /** ISO-8601: a failed attempt is tried again from then on (backoff). */
  retryAt?: string;
  /** ISO-8601: when the stored cursor was last saved (pollers). */
  cursorSavedAt?: string;
}

/** Where trigger states are kept (the service's trigger store, SQLite or PostgreSQL). */
export interface TriggerStateStore {
  getTriggerState(id: string): Promise<TriggerStateRecord | undefined>;
  /** Saving the same id again replaces the record. */
  saveTriggerState(record: TriggerStateRecord): Promise<void>;
  deleteTriggerState(id: string): Promise<boolean>;
}

/** The spec-003 health envelope's status and details, as one trigger reports them. */
export interface TriggerHealthVerdict {
  status: Tier1HealthStatus;
  details: {
    auth: boolean;
    apiReachable: boolean;
    rateLimited: boolean;
    errorType?: IntegrationErrorType;
    message?: string;
  };
}

/** A poller without a successful poll for this many intervals is `degraded`. */
export const POLL_DEGRADED_INTERVALS = 3;
/** A poller without a successful poll for this many intervals is `down`. */
export const POLL_DOWN_INTERVALS = 10;
/** A subscription whose creation, renewal or verification failed this many times in a row is `down`. */
export const SUBSCRIPTION_DOWN_FAILURES = 3;
/** How long after a gap ended health still reports it (as `degraded`), so someone sees deliveries may be missing. */
export const GAP_REPORTED_MS = 24 * 60 * 60_000;

/** `details` from the last failure: an auth failure is `auth: false`, a network or upstream one `apiReachable: false`. */
function detailsOf(state: TriggerStateRecord | undefined, message?: string): TriggerHealthVerdict["details"] {
  const failing = state !== undefined && state.consecutiveFailures > 0;
  const type = failing ? state.lastErrorType : undefined;
  return {
    auth: type !== "auth",
    apiReachable: type !== "network" && type !== "upstream",
    rateLimited: type === "rate-limit",
    ...(type !== undefined && { errorType: type }),
    ...((message ?? (failing ? state.lastError : undefined)) !== undefined && {
      message: message ?? state?.lastError,
    }),
  };
}

/**
 * A poller's health: `degraded` with no successful poll in `POLL_DEGRADED_INTERVALS` intervals, `down` in
 * `POLL_DOWN_INTERVALS` (counted from its first record while it never succeeded), `ok` otherwise.
 */
export function pollingHealth(
  state: TriggerStateRecord | undefined,
  intervalMs: number,
  now: number,
): TriggerHealthVerdict {
  if (!state) return { status: "ok", details: detailsOf(undefined, "not polled yet") };
  const since = Date.parse(state.lastSuccessAt ?? state.firstSeenAt);
  const missed = Math.floor((now - since) / intervalMs);
  const failures = state.consecutiveFailures;
  const what =
    failures > 0
      ? `${failures} poll${failures === 1 ? "" : "s"} in a row failed${state.lastError ? `: ${state.lastError}` : ""}`
      : undefined;
  if (missed >= POLL_DOWN_INTERVALS)
    return { status: "down", details: detailsOf(state, what ?? `no successful poll in ${missed} intervals`) };
  if (missed >= POLL_DEGRADED_INTERVALS)
    return {
      status: "degraded",
      details: detailsOf(state, what ?? `no successful poll in ${missed} intervals`),
    };
  return { status: "ok", details: detailsOf(state, what) };
}

/**
 * A subscription's health: `down` past its expiry or after `SUBSCRIPTION_DOWN_FAILURES` failures in a row;
 * `degraded` when it is not created yet, after a failure, or within `GAP_REPORTED_MS` of a gap; `ok` otherwise.
 */
export function subscriptionHealth(
  state: TriggerStateRecord | undefined,
  active: boolean,
  now: number,
): TriggerHealthVerdict {
  const failures = state?.consecutiveFailures ?? 0;
  const failed =
    failures > 0
      ? `subscription ${failures === 1 ? "failed once" : failures === 2 ? "failed twice" : `failed ${failures} times`}${state?.lastError ? `: ${state.lastError}` : ""}`
      : undefined;
  if (state?.expiresAt !== undefined && Date.parse(state.expiresAt) <= now)
    return { status: "down", details: detailsOf(state, `subscription expired at ${state.expiresAt}`) };
  if (failures >= SUBSCRIPTION_DOWN_FAILURES) return { status: "down", details: detailsOf(state, failed) };
  if (!active) {
    const gap =
      state?.lastGap && !state.lastGap.to ? ` (gone at the provider since ${state.lastGap.from})` : "";
    return { status: "degraded", details: detailsOf(state, failed ?? `subscription not active yet${gap}`) };
  }
  if (failed) return { status: "degraded", details: detailsOf(state, failed) };
  const gap = state?.lastGap;
  if (gap?.to !== undefined && now - Date.parse(gap.to) < GAP_REPORTED_MS) {
    return {
      status: "degraded",
      details: detailsOf(
        state,
        `the subscription was missing at the provider from ${gap.from} to ${gap.to} (re-created); deliveries in between were not received`,
      ),
    };
  }
  return { status: "ok", details: detailsOf(state) };
}

/** The in-memory trigger state store, for tests and single-process use. */
export class MemoryTriggerStateStore implements TriggerStateStore {
  private readonly states = new Map<string, TriggerStateRecord>();

  async getTriggerState(id: string): Promise<TriggerStateRecord | undefined> {
    const found = this.states.get(id);
    return found && structuredClone(found);
  }

  async saveTriggerState(record: TriggerStateRecord): Promise<void> {
    this.states.set(record.id, structuredClone(record));
  }

  async deleteTriggerState(id: string): Promise<boolean> {
    return this.states.delete(id);
  }
}
