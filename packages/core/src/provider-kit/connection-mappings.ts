import { IntegrationError } from "../errors";
import type { IO, IOTask } from "../io";
import { nodeCrypto } from "../node-crypto";
import type { MappingClaim } from "../runtime/resource-mappings";
import { runMappingsOf } from "../runtime/run-mappings";
import type { ProviderRun } from "./provider-run";

/** How long a claim holds before another run may take it over (the create it guards is one request). */
export const DEFAULT_MAPPING_LEASE_MS = 2 * 60_000;

const MAX_EXTERNAL_ID_LENGTH = 255;

/**
 * One connection's external records → the resources made for them at the provider (a ticket id in another
 * system → an issue key at the provider), shared by every run of the task store (see `ResourceMappingStore`). Claim before
 * creating, record after; the claimant is the task (its idempotency key), so the same task resumed after a
 * crash is told its claim is not fresh and looks for what it may already have made.
 */
export interface ConnectionMappings {
  claim(externalId: string, options?: { leaseMs?: number }): Promise<MappingClaim>;
  /** Records the resource; answers the resource as stored (the first recorded wins). */
  record(externalId: string, resourceId: string): Promise<string>;
  /** Frees this task's claim after a create that made nothing. */
  release(externalId: string): Promise<void>;
  find(externalId: string): Promise<string | undefined>;
}

/**
 * The mappings of `kind` (`"tickets"`) for the task's connection: scoped by the provider and the connection
 * (the service's connection id; for a LOCAL token a hash of it and the client's fields), so one user's mappings
 * never answer another's.
 */
export function connectionMappings(
  io: IO,
  task: IOTask,
  context: { provider: string; run: ProviderRun; kind: string },
): ConnectionMappings {
  const mappings = runMappingsOf(io);
  const store = mappings?.store;
  if (!mappings || !store) {
    throw new IntegrationError({
      type: "schema",
      provider: context.provider,
      message: `${task.name} keeps record → resource mappings, and this run's task store has none: use the SQLite, memory or PostgreSQL task store`,
    });
  }
  const scope = `${context.provider}:${connectionIdentity(context.run)}:${context.kind}`;
  const key = (externalId: string) => {
    if (externalId.length === 0 || externalId.length > MAX_EXTERNAL_ID_LENGTH) {
      throw new IntegrationError({
        type: "schema",
        provider: context.provider,
        message: `externalId must be 1 to ${MAX_EXTERNAL_ID_LENGTH} characters, got ${externalId.length}`,
      });
    }
    return { scope, externalId };
  };
  const claimant = task.idempotencyKey;
  return {
    claim: (externalId, options = {}) =>
      store.claimMapping(
        key(externalId),
        claimant,
        mappings.now(),
        options.leaseMs ?? DEFAULT_MAPPING_LEASE_MS,
      ),
    record: (externalId, resourceId) => store.recordMapping(key(externalId), resourceId, mappings.now()),
    release: (externalId) => store.releaseMapping(key(externalId), claimant),
    find: (externalId) => store.findMapping(key(externalId)),
  };
}

/** The connection a run's calls are made with: its service id, or (LOCAL, or an auth without one) a hash. */
function connectionIdentity(run: ProviderRun): string {
  if (run.auth?.connectionId !== undefined) return `connection:${run.auth.connectionId}`;
  const secret = run.token ?? run.auth?.accessToken ?? "";
  const fields = JSON.stringify(run.auth?.additionalFields ?? {});
  // Hashed: the scope is stored, and never holds a credential.
  return `token:${nodeCrypto().createHash("sha256").update(`${secret}\u0000${fields}`).digest("base64url").slice(0, 22)}`;
}
