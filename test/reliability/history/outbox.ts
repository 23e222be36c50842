/**
 * The history checker's server with the PostgreSQL outbox (OUTBOX=relay|commit, DATABASE_URL, OUTBOX_TABLE): each
 * mutation runs in a transaction into which the cache writes its invalidations (`deferMutations`); the transaction
 * commits after the operation executed. `relay` answers only after relaying the committed rows (read-your-write: the
 * checker must see zero stale reads); `commit` answers right after the commit and leaves delivery to the started relay
 * (LISTEN/NOTIFY and polling): stale reads are then possible until it delivers, and the checker reports how long.
 */
import pg from 'pg';
import type { Cache } from '../../../src/index.js';
import { createPgOutbox } from '../../../src/outbox/index.js';

export interface CheckerOutbox {
  /** Runs `execute` (one GraphQL mutation request with `context`) in a transaction whose invalidations go through the outbox. */
  inTransaction<T>(context: object, execute: () => Promise<T>): Promise<T>;
  stop(): Promise<void>;
}

/** The outbox of OUTBOX, or undefined when the variable is not set. */
export async function startOutbox(cache: Cache): Promise<CheckerOutbox | undefined> {
  const mode = process.env.OUTBOX;
  if (!mode) return undefined;
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 12 });
  const outbox = createPgOutbox({ pool, cache, table: process.env.OUTBOX_TABLE!, pollIntervalMs: 200, onError: () => {} });
  await outbox.setup();
  await outbox.start();
  return {
    async inTransaction(context, execute) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        outbox.deferMutations(cache, context, client);
        const response = await execute();
        await client.query('COMMIT');
        // A relay that fails (Redis did not acknowledge) leaves the rows to the started relay: the answer says nothing.
        if (mode === 'relay') await outbox.relay().catch(() => {});
        return response;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async stop() {
      await outbox.close();
      await pool.end();
    },
  };
}
