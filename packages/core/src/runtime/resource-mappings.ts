/**
 * What a claim on an external record's mapping answered:
 * - `mapped`: the resource exists and is recorded (`resourceId`): update it, never create.
 * - `claimed`: the claimant may create it. `fresh: false` when the claim was this claimant's already (its run
 *   resumed after a crash) or taken over from a claimant whose lease ran out: either may have created the
 *   resource and died before recording it, so look for it at the provider (by the marker written on it) before
 *   creating.
 * - `held`: another claimant is creating it now (until `leaseUntil`): wait and claim again.
 */
export type MappingClaim =
  | { status: "mapped"; resourceId: string }
  | { status: "claimed"; fresh: boolean }
  | { status: "held"; claimant: string; leaseUntil: string };

/** Where a mapping lives: `scope` is the provider, the connection and the kind of record; `externalId` the record. */
export interface MappingKey {
  scope: string;
  externalId: string;
}

/**
 * A durable map from an external record (a ticket in another system) to the resource made for it at a provider
 * (an issue key), shared by every run of a task store. It makes "create or update" converge when two runs
 * sync the same record at once, or a run dies between creating and recording: a run claims the mapping before
 * it creates, so a second run waits instead of creating a second resource, and records it after. Provider
 * search is eventually consistent, so it cannot find a create that just happened; this store can.
 *
 * Every method is atomic in the store (one transaction, or one statement).
 */
export interface ResourceMappingStore {
  /** Claims the mapping for `claimant` (a task's idempotency key) for `leaseMs`, unless it is mapped or held. */
  claimMapping(key: MappingKey, claimant: string, now: Date, leaseMs: number): Promise<MappingClaim>;
  /**
   * Records the resource made for the record and answers the mapping as stored: the first recorded resource
   * wins (a second one, made by a claimant whose lease had run out, is answered the first's id).
   */
  recordMapping(key: MappingKey, resourceId: string, now: Date): Promise<string>;
  /** Frees a claim that made nothing (its create was refused), so the next claimant need not wait the lease out. */
  releaseMapping(key: MappingKey, claimant: string): Promise<void>;
  /** The recorded resource, if any. */
  findMapping(key: MappingKey): Promise<string | undefined>;
}

/** A mapping row as every store keeps it. */
export interface MappingRow {
  resourceId?: string;
  claimant?: string;
  leaseUntil?: string;
}

/**
 * The claim rule, the same in every store: what a claim finds in `row` answers, and the row to write when the
 * claimant gets it (`undefined`: leave the row as it is).
 */
export function decideClaim(
  row: MappingRow | undefined,
  claimant: string,
  now: Date,
  leaseMs: number,
): { answer: MappingClaim; write?: MappingRow } {
  const lease: MappingRow = { claimant, leaseUntil: new Date(now.getTime() + leaseMs).toISOString() };
  if (row === undefined) return { answer: { status: "claimed", fresh: true }, write: lease };
  if (row.resourceId !== undefined) return { answer: { status: "mapped", resourceId: row.resourceId } };
  const expired = row.leaseUntil === undefined || Date.parse(row.leaseUntil) <= now.getTime();
  if (row.claimant !== claimant && !expired) {
    return { answer: { status: "held", claimant: row.claimant ?? "", leaseUntil: row.leaseUntil ?? "" } };
  }
  return { answer: { status: "claimed", fresh: false }, write: lease };
}

const keyOf = ({ scope, externalId }: MappingKey) => `${scope}\u0000${externalId}`;

/** The mappings of a `MemoryTaskStore`: one process, for tests and demos. */
export class MemoryResourceMappings implements ResourceMappingStore {
  private readonly rows = new Map<string, MappingRow>();

  async claimMapping(key: MappingKey, claimant: string, now: Date, leaseMs: number): Promise<MappingClaim> {
    const { answer, write } = decideClaim(this.rows.get(keyOf(key)), claimant, now, leaseMs);
    if (write) this.rows.set(keyOf(key), write);
    return answer;
  }

  async recordMapping(key: MappingKey, resourceId: string): Promise<string> {
    const recorded = this.rows.get(keyOf(key))?.resourceId;
    if (recorded !== undefined) return recorded;
    this.rows.set(keyOf(key), { resourceId });
    return resourceId;
  }

  async releaseMapping(key: MappingKey, claimant: string): Promise<void> {
    const row = this.rows.get(keyOf(key));
    if (row && row.resourceId === undefined && row.claimant === claimant) this.rows.delete(keyOf(key));
  }

  async findMapping(key: MappingKey): Promise<string | undefined> {
    return this.rows.get(keyOf(key))?.resourceId;
  }
}
