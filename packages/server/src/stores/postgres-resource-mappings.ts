import {
  decideClaim,
  type MappingClaim,
  type MappingKey,
  type MappingRow,
  type ResourceMappingStore,
} from "@autoflow/core";
import type { Pool, PoolClient } from "pg";

type Row = { resource_id: string | null; claimant: string | null; lease_until: Date | null };

const SELECT =
  "SELECT resource_id, claimant, lease_until FROM autoflow_resource_mappings WHERE scope = $1 AND external_id = $2";

/**
 * The mappings of a `PostgresTaskStore` (table `autoflow_resource_mappings`, migration 15), shared by every
 * process on the database. A claim locks the row (`FOR UPDATE`), or inserts it with `ON CONFLICT DO NOTHING`
 * when there is none, so two workers claiming at once cannot both get it.
 */
export class PostgresResourceMappings implements ResourceMappingStore {
  constructor(private readonly pool: Pool) {}

  async claimMapping(key: MappingKey, claimant: string, now: Date, leaseMs: number): Promise<MappingClaim> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const answer = await this.claimIn(client, key, claimant, now, leaseMs);
      await client.query("COMMIT");
      return answer;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async recordMapping(key: MappingKey, resourceId: string, now: Date): Promise<string> {
    // The first recorded resource wins: a second create's id never replaces it.
    const { rows } = await this.pool.query<{ resource_id: string }>(
      `INSERT INTO autoflow_resource_mappings (scope, external_id, resource_id, updated_at)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (scope, external_id) DO UPDATE SET
         resource_id = COALESCE(autoflow_resource_mappings.resource_id, EXCLUDED.resource_id),
         claimant = NULL, lease_until = NULL, updated_at = EXCLUDED.updated_at
       RETURNING resource_id`,
      [key.scope, key.externalId, resourceId, now],
    );
    return rows[0]?.resource_id ?? resourceId;
  }

  async releaseMapping(key: MappingKey, claimant: string): Promise<void> {
    await this.pool.query(
      "DELETE FROM autoflow_resource_mappings WHERE scope = $1 AND external_id = $2 AND claimant = $3 AND resource_id IS NULL",
      [key.scope, key.externalId, claimant],
    );
  }

  async findMapping(key: MappingKey): Promise<string | undefined> {
    const { rows } = await this.pool.query<Row>(SELECT, [key.scope, key.externalId]);
    return rows[0]?.resource_id ?? undefined;
  }

  private async claimIn(
    client: PoolClient,
    key: MappingKey,
    claimant: string,
    now: Date,
    leaseMs: number,
  ): Promise<MappingClaim> {
    const leaseUntil = new Date(now.getTime() + leaseMs);
    let { rows } = await client.query<Row>(`${SELECT} FOR UPDATE`, [key.scope, key.externalId]);
    if (rows.length === 0) {
      const inserted = await client.query(
        `INSERT INTO autoflow_resource_mappings (scope, external_id, claimant, lease_until, updated_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (scope, external_id) DO NOTHING`,
        [key.scope, key.externalId, claimant, leaseUntil, now],
      );
      if (inserted.rowCount === 1) return { status: "claimed", fresh: true };
      // Another worker inserted it between the two statements: decide on its row.
      ({ rows } = await client.query<Row>(`${SELECT} FOR UPDATE`, [key.scope, key.externalId]));
    }
    const { answer, write } = decideClaim(toMappingRow(rows[0]), claimant, now, leaseMs);
    if (write) {
      await client.query(
        `UPDATE autoflow_resource_mappings SET claimant = $3, lease_until = $4, updated_at = $5
         WHERE scope = $1 AND external_id = $2`,
        [key.scope, key.externalId, claimant, leaseUntil, now],
      );
    }
    return answer;
  }
}

function toMappingRow(row: Row | undefined): MappingRow | undefined {
  if (!row) return undefined;
  return {
    ...(row.resource_id !== null && { resourceId: row.resource_id }),
    ...(row.claimant !== null && { claimant: row.claimant }),
    ...(row.lease_until !== null && { leaseUntil: row.lease_until.toISOString() }),
  };
}
