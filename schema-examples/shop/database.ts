/**
 * The example's data layer, from the environment: in memory by default (zero setup), or on PostgreSQL when
 * DATABASE_URL is set (`postgres://postgres@127.0.0.1:5432/test`), its tables created at start, with the transactional
 * outbox relaying the writes' invalidations to the cache. DATABASE_TABLE_PREFIX names the tables (default `shop_`).
 */
import pg from 'pg';
import type { Cache } from '../../src/index.js';
import { createPgOutbox, type PgOutbox } from '../../src/outbox/index.js';
import { ShopData } from './data.js';
import { PgShopData } from './pgData.js';

export interface DatabaseChoice {
  db: ShopData;
  describe: string;
  /** Connects the outbox to the cache and starts its relay (nothing in memory). */
  attach(cache: Cache): Promise<void>;
  close(): Promise<void>;
}

export async function databaseFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<DatabaseChoice> {
  if (!env.DATABASE_URL) return { db: new ShopData(), describe: 'in memory', attach: async () => undefined, close: async () => undefined };
  const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 10 });
  const prefix = env.DATABASE_TABLE_PREFIX ?? 'shop_';
  const db = new PgShopData({ pool, tablePrefix: prefix });
  await db.setup();
  let outbox: PgOutbox | undefined;
  return {
    db,
    describe: `on PostgreSQL (${new URL(env.DATABASE_URL).host})`,
    async attach(cache) {
      outbox = createPgOutbox({ pool, cache, table: `${prefix}cachetag_outbox` });
      await outbox.setup();
      db.outbox = outbox;
      await outbox.start();
    },
    async close() {
      await outbox?.close();
      await pool.end();
    },
  };
}
