import type { Pool } from "pg";
import type { PostgresStoreOptions } from "./postgres-store-options";

/** What every PostgreSQL store shares: its pool, whether it ends that pool, and refusing use after `close()`. */
export abstract class PostgresStore {
  protected readonly pool: Pool;
  private readonly endPoolOnClose: boolean;
  private closed = false;

  protected constructor(options: PostgresStoreOptions) {
    this.pool = options.pool;
    this.endPoolOnClose = options.endPoolOnClose ?? false;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.endPoolOnClose) await this.pool.end();
  }

  protected assertOpen(): void {
    if (this.closed) throw new Error(`${this.constructor.name} is closed; open a new store to keep using it`);
  }
}
