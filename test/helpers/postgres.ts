/**
 * The real PostgreSQL of the outbox tests (127.0.0.1:5432, database `test`, trust auth, or DATABASE_URL): a pool per
 * test and a unique table name, dropped after it. Tests skip with a printed reason when it cannot be reached, and fail
 * instead when CACHETAG_REQUIRE_POSTGRES=1 (set by .ci/run).
 */
import type { TestContext } from 'node:test';
import pg from 'pg';
import { onCleanup } from './redis.js';

export const postgresRequired = process.env.CACHETAG_REQUIRE_POSTGRES === '1';

/** The connection string the tests (and the child processes they start) use. */
export const testDatabaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A connected pool, ended after the test; undefined after skipping the test. */
export async function postgresOrSkip(t: TestContext): Promise<pg.Pool | undefined> {
  const pool = new pg.Pool({ connectionString: testDatabaseUrl, max: 8, connectionTimeoutMillis: 3000 });
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    const reason = `PostgreSQL cannot be reached at ${testDatabaseUrl} (${error instanceof Error ? error.message : String(error)})`;
    if (postgresRequired) throw new Error(`PostgreSQL is required (CACHETAG_REQUIRE_POSTGRES=1) but ${reason}`);
    console.log(`skipped ${t.name}: ${reason}`);
    t.skip(reason);
    return undefined;
  }
  onCleanup(t, () => pool.end());
  return pool;
}

/** A table name no other test uses, dropped after the test. */
export function uniqueTable(t: TestContext, pool: pg.Pool, label: string): string {
  const table = `ct_${label}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  onCleanup(t, () => pool.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined));
  return table;
}
