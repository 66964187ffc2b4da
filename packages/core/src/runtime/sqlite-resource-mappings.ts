import type { DatabaseSync, StatementSync } from "node:sqlite";
import {
  decideClaim,
  type MappingClaim,
  type MappingKey,
  type MappingRow,
  type ResourceMappingStore,
} from "./resource-mappings";

type Row = { resource_id: string | null; claimant: string | null; lease_until: string | null };

/**
 * The mappings of a `SqliteTaskStore`, in its database file (table `autoflow_resource_mappings`, task store
 * migration 5). A claim reads and writes under `BEGIN IMMEDIATE`, so two processes sharing the file cannot both
 * get it.
 */
export class SqliteResourceMappings implements ResourceMappingStore {
  private readonly select: StatementSync;
  private readonly upsertLease: StatementSync;
  private readonly setResource: StatementSync;
  private readonly deleteClaim: StatementSync;

  constructor(private readonly db: DatabaseSync) {
    this.select = db.prepare(
      "SELECT resource_id, claimant, lease_until FROM autoflow_resource_mappings WHERE scope = ? AND external_id = ?",
    );
    this.upsertLease = db.prepare(
      `INSERT INTO autoflow_resource_mappings (scope, external_id, claimant, lease_until, updated_at)
       VALUES ($scope, $external_id, $claimant, $lease_until, $now)
       ON CONFLICT (scope, external_id) DO UPDATE SET
         claimant = excluded.claimant, lease_until = excluded.lease_until, updated_at = excluded.updated_at`,
    );
    // The first recorded resource wins: a second create's id never replaces it.
    this.setResource = db.prepare(
      `INSERT INTO autoflow_resource_mappings (scope, external_id, resource_id, updated_at)
       VALUES ($scope, $external_id, $resource_id, $now)
       ON CONFLICT (scope, external_id) DO UPDATE SET
         resource_id = COALESCE(autoflow_resource_mappings.resource_id, excluded.resource_id),
         claimant = NULL, lease_until = NULL, updated_at = excluded.updated_at`,
    );
    this.deleteClaim = db.prepare(
      "DELETE FROM autoflow_resource_mappings WHERE scope = ? AND external_id = ? AND claimant = ? AND resource_id IS NULL",
    );
  }

  async claimMapping(key: MappingKey, claimant: string, now: Date, leaseMs: number): Promise<MappingClaim> {
    this.db.exec("BEGIN IMMEDIATE");
    try {
      const { answer, write } = decideClaim(this.read(key), claimant, now, leaseMs);
      if (write) {
        this.upsertLease.run({
          $scope: key.scope,
          $external_id: key.externalId,
          $claimant: write.claimant ?? null,
          $lease_until: write.leaseUntil ?? null,
          $now: now.toISOString(),
        });
      }
      this.db.exec("COMMIT");
      return answer;
    } catch (error) {
      if (this.db.isTransaction) this.db.exec("ROLLBACK");
      throw error;
    }
  }

  async recordMapping(key: MappingKey, resourceId: string, now: Date): Promise<string> {
    this.setResource.run({
      $scope: key.scope,
      $external_id: key.externalId,
      $resource_id: resourceId,
      $now: now.toISOString(),
    });
    return this.read(key)?.resourceId ?? resourceId;
  }

  async releaseMapping(key: MappingKey, claimant: string): Promise<void> {
    this.deleteClaim.run(key.scope, key.externalId, claimant);
  }

  async findMapping(key: MappingKey): Promise<string | undefined> {
    return this.read(key)?.resourceId;
  }

  private read(key: MappingKey): MappingRow | undefined {
    const row = this.select.get(key.scope, key.externalId) as Row | undefined;
    if (!row) return undefined;
    return {
      ...(row.resource_id !== null && { resourceId: row.resource_id }),
      ...(row.claimant !== null && { claimant: row.claimant }),
      ...(row.lease_until !== null && { leaseUntil: row.lease_until }),
    };
  }
}
