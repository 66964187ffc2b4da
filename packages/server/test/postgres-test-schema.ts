import { randomBytes } from "node:crypto";
import { Pool } from "pg";
import { afterAll, beforeAll } from "vitest";
import { runPostgresMigrations } from "../src/stores/postgres-migrations";

/** The PostgreSQL server the PostgreSQL suites use; unset skips them. */
export const TEST_DATABASE_URL = process.env.AUTOFLOW_TEST_DATABASE_URL;

/** Prints why a PostgreSQL suite is skipped, so a green run without PostgreSQL is not mistaken for coverage. */
export function warnIfNoPostgres(suite: string): void {
  if (!TEST_DATABASE_URL) {
    console.warn(`[autoflow] AUTOFLOW_TEST_DATABASE_URL is not set: skipping the PostgreSQL ${suite} tests`);
  }
}

/** A schema of its own for one test file, so concurrent runs never see each other's rows. */
export interface TestSchema {
  name: string;
  /** A second schema for this test's pg-boss run queue (pg-boss creates it), dropped with the first. */
  queueSchema: string;
  /** The `options` value that puts a pool's connections in this schema. */
  searchPathOption: string;
  /** A pool whose every connection uses the schema; ended by `drop`. */
  pool: Pool;
  /** Another pool on the schema, e.g. to act as a second process; ended by `drop`. */
  newPool(): Pool;
  /** Drops the schema and ends every pool made for it. */
  drop(): Promise<void>;
}

/** Creates `autoflow_test_<random>` on the test server. */
export async function createTestSchema(): Promise<TestSchema> {
  if (!TEST_DATABASE_URL) throw new Error("AUTOFLOW_TEST_DATABASE_URL is not set");
  const url = TEST_DATABASE_URL;
  const name = `autoflow_test_${randomBytes(6).toString("hex")}`;
  const admin = new Pool({ connectionString: url, max: 1 });
  await admin.query(`CREATE SCHEMA ${name}`);
  const searchPathOption = `-c search_path=${name}`;
  const pools: Pool[] = [];
  const newPool = (): Pool => {
    const pool = new Pool({ connectionString: url, options: searchPathOption });
    pools.push(pool);
    return pool;
  };
  const queueSchema = `${name}_queue`;
  return {
    name,
    queueSchema,
    searchPathOption,
    pool: newPool(),
    newPool,
    async drop() {
      await Promise.all(pools.map((pool) => pool.end()));
      await admin.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
      await admin.query(`DROP SCHEMA IF EXISTS ${queueSchema} CASCADE`);
      await admin.end();
    },
  };
}

/**
 * A migrated schema of its own for the enclosing `describe`: created and migrated before its tests, dropped after
 * them. Read its fields inside hooks and tests (before then there is no schema yet).
 */
export function useMigratedTestSchema(): TestSchema {
  let current: TestSchema | undefined;
  const made = (): TestSchema => {
    if (!current) throw new Error("The test schema is created in beforeAll: read it inside hooks and tests");
    return current;
  };
  beforeAll(async () => {
    current = await createTestSchema();
    await runPostgresMigrations(current.pool);
  });
  afterAll(async () => {
    await current?.drop();
  });
  return {
    get name() {
      return made().name;
    },
    get queueSchema() {
      return made().queueSchema;
    },
    get searchPathOption() {
      return made().searchPathOption;
    },
    get pool() {
      return made().pool;
    },
    newPool: () => made().newPool(),
    drop: () => made().drop(),
  };
}
