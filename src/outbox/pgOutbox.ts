/**
 * The transactional outbox on PostgreSQL: invalidations are written as rows in the same transaction as the data they
 * invalidate, so they commit and roll back with it, and a relay delivers committed rows to the cache at least once, in
 * order, deleting them only once the cache acknowledged. A process that dies between commit and delivery loses
 * nothing: the rows wait for the next relay (this process restarted, or any other).
 *
 * `pg` is not imported: the outbox takes the user's pool and clients, typed structurally, so `cachetag/outbox` costs
 * nothing to those who do not use it.
 */
import { CacheTagError, invalidOption } from '../errors.js';
import { assertValidTag } from '../tags/hierarchy.js';
import type { Cache } from '../engine/engine.js';

/** Anything that runs a query: a `pg` `Client`, a `PoolClient` inside the user's transaction, or a `Pool`. */
export interface PgQueryable {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** A client checked out of a pool (`pg`'s `PoolClient`). */
export interface PgPoolClient extends PgQueryable {
  release(error?: Error | boolean): void;
  on(event: 'notification', listener: (message: { channel: string; payload?: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** A `pg` `Pool`. */
export interface PgPool {
  connect(): Promise<PgPoolClient>;
}

/** What the relay delivers to: a cachetag `Cache` (or anything whose `invalidate` resolves only once acknowledged). */
export interface InvalidationTarget {
  invalidate(tags: readonly string[]): Promise<void>;
}

export interface PgOutboxOptions {
  /** The pool the relay takes its connections from (one held for `LISTEN` while started, one per delivery). */
  pool: PgPool;
  /** Where committed invalidations are delivered: the cache (`cache.invalidate` must resolve only once acknowledged). */
  cache: InvalidationTarget;
  /** The outbox table, optionally schema-qualified (`app.cachetag_outbox`). Default {@link defaultOutboxTable}. */
  table?: string;
  /** How often the started relay looks for rows without being notified (a lost notification, another writer). Default {@link defaultPollIntervalMs}. */
  pollIntervalMs?: number;
  /** The most rows one delivery takes (their tags go to the cache as one invalidation). Default {@link defaultBatchSize}. */
  batchSize?: number;
  /** Receives relay failures (PostgreSQL unreachable, the cache not acknowledging); the rows stay and are retried. Default: `console.warn`. */
  onError?: (error: unknown) => void;
}

export const defaultOutboxTable = 'cachetag_outbox';
export const defaultPollIntervalMs = 1000;
export const defaultBatchSize = 500;

export interface PgOutbox {
  /** The table's name, as given. */
  readonly table: string;
  /** Creates the table (and nothing else) if it does not exist. Idempotent. */
  setup(): Promise<void>;
  /**
   * Writes the invalidation of `tags` into the outbox through `client`: call it inside the transaction that writes the
   * data, with that transaction's client. It commits with the data (and notifies the relay then) or rolls back with it.
   * Throws `INVALID_TAG` for a malformed tag, before writing anything.
   */
  enqueue(client: PgQueryable, tags: string | readonly string[]): Promise<void>;
  /**
   * Delivers every row committed before the call (and any committed meanwhile) to the cache, oldest first, and deletes
   * each batch once the cache acknowledged it. Resolves to the number of rows delivered; rejects with the cache's
   * error (`INVALIDATION_UNACKNOWLEDGED`) when it did not acknowledge, leaving the rows for a later delivery. One
   * relay delivers at a time across all processes (a transaction-level advisory lock), so order holds across them.
   */
  relay(): Promise<number>;
  /**
   * Routes the invalidations the cache derives for the mutations of one request (the entities they return, their
   * `@invalidates` tags) into this outbox through `client`, the request's open transaction, instead of the store.
   * Commit that transaction after the operation executed, then `relay()` (or let the started relay do it).
   */
  deferMutations(cache: Pick<Cache, 'deferInvalidations'>, context: object, client: PgQueryable): void;
  /** Starts relaying in the background: at once (rows a crashed process left), on every commit (`LISTEN`), and every `pollIntervalMs`. */
  start(): Promise<void>;
  /** Stops the background relay and releases its connection. Rows not delivered stay in the table for the next relay. */
  close(): Promise<void>;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/;

/** Creates a PostgreSQL outbox. See {@link PgOutboxOptions}. */
export function createPgOutbox(options: PgOutboxOptions): PgOutbox {
  const factory = 'createPgOutbox';
  if (options === null || typeof options !== 'object') throw invalidOption(factory, 'options', 'an object', options);
  if (typeof options.pool?.connect !== 'function') throw invalidOption(factory, 'pool', 'a pg Pool (an object with connect())', options.pool);
  if (typeof options.cache?.invalidate !== 'function') throw invalidOption(factory, 'cache', 'a Cache (an object with invalidate())', options.cache);
  const table = options.table ?? defaultOutboxTable;
  if (typeof table !== 'string' || !IDENTIFIER.test(table)) throw invalidOption(factory, 'table', 'a SQL identifier, optionally schema-qualified', table);
  const pollIntervalMs = options.pollIntervalMs ?? defaultPollIntervalMs;
  if (typeof pollIntervalMs !== 'number' || !(pollIntervalMs > 0)) throw invalidOption(factory, 'pollIntervalMs', 'a positive number', pollIntervalMs);
  const batchSize = options.batchSize ?? defaultBatchSize;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw invalidOption(factory, 'batchSize', 'a positive integer', batchSize);
  const { pool, cache } = options;
  // The default warns once per error code until a delivery succeeds: a Redis outage must not log every commit.
  const warned = new Set<string>();
  const onError =
    options.onError ??
    ((error: unknown) => {
      const code = error instanceof CacheTagError ? error.code : 'ERROR';
      if (warned.has(code)) return;
      warned.add(code);
      console.warn(
        `cachetag outbox: ${error instanceof Error ? error.message : String(error)} (rows kept, retried; further ${code} failures not logged until one delivery succeeds)`,
      );
    });
  // NOTIFY channels are identifiers: the table's name with its schema dot replaced.
  const channel = `${table.replace('.', '_')}_cachetag`;

  let listener: PgPoolClient | undefined;
  let timer: NodeJS.Timeout | undefined;
  let started = false;
  // Deliveries in this process run one after another; a request arriving during one is served by one more pass.
  let running: Promise<number> | undefined;
  let queued: Promise<number> | undefined;

  async function deliverOnce(): Promise<{ delivered: number; more: boolean }> {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      // Waits for a relay of another process to finish, so batches reach the cache in id order.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [table]);
      const { rows } = (await client.query(`SELECT id, tags FROM ${table} ORDER BY id LIMIT $1`, [batchSize])) as { rows: { id: string; tags: string[] }[] };
      if (rows.length === 0) {
        await client.query('COMMIT');
        return { delivered: 0, more: false };
      }
      try {
        await cache.invalidate([...new Set(rows.flatMap((row) => row.tags))]);
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
      // A crash from here to COMMIT leaves the rows: they are delivered again (at least once; invalidating twice is harmless).
      await client.query(`DELETE FROM ${table} WHERE id = ANY($1::bigint[])`, [rows.map((row) => row.id)]);
      await client.query('COMMIT');
      warned.clear();
      return { delivered: rows.length, more: rows.length === batchSize };
    } catch (error) {
      if (!(error instanceof CacheTagError)) broken = error instanceof Error ? error : new Error(String(error));
      throw error;
    } finally {
      // A connection that failed mid-transaction is discarded rather than returned to the pool in an unknown state.
      client.release(broken ?? false);
    }
  }

  async function deliverAll(): Promise<number> {
    let total = 0;
    for (;;) {
      const { delivered, more } = await deliverOnce();
      total += delivered;
      if (!more) return total;
    }
  }

  function relay(): Promise<number> {
    if (running) {
      // One pass queued behind the running one serves every caller arriving meanwhile: it starts after it and so sees
      // every row committed before them.
      queued ??= running
        .catch(() => undefined)
        .then(() => {
          queued = undefined;
          return relay();
        });
      return queued;
    }
    running = deliverAll().finally(() => {
      running = undefined;
    });
    return running;
  }

  function wake(): void {
    relay().catch(onError);
  }

  async function listen(): Promise<void> {
    if (listener || !started) return;
    const client = await pool.connect();
    client.on('notification', (message) => {
      if (message.channel === channel) wake();
    });
    client.on('error', (error) => {
      // The connection is gone: the poll reconnects it.
      if (listener === client) listener = undefined;
      client.release(error);
      onError(error);
    });
    await client.query(`LISTEN ${channel}`);
    if (!started) {
      client.release(true);
      return;
    }
    listener = client;
  }

  return {
    table,
    async setup() {
      const client = await pool.connect();
      try {
        // Two processes creating the table at once would collide on its type name; the lock serializes them.
        await client.query('SELECT pg_advisory_lock(hashtext($1))', [`${table}:setup`]);
        await client.query(
          `CREATE TABLE IF NOT EXISTS ${table} (id bigserial PRIMARY KEY, tags text[] NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
        );
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`${table}:setup`]);
      } finally {
        client.release();
      }
    },
    async enqueue(client, tags) {
      const list = typeof tags === 'string' ? [tags] : [...tags];
      list.forEach((tag) => assertValidTag(tag));
      if (list.length === 0) return;
      await client.query(`INSERT INTO ${table} (tags) VALUES ($1::text[])`, [[...new Set(list)]]);
      // NOTIFY is transactional: the relay wakes when (and only if) this transaction commits.
      await client.query('SELECT pg_notify($1, NULL)', [channel]);
    },
    relay,
    deferMutations(target, context, client) {
      target.deferInvalidations(context, (tags) => this.enqueue(client, tags));
    },
    async start() {
      if (started) return;
      started = true;
      const tick = () => {
        timer = setTimeout(() => {
          void listen()
            .catch(onError)
            .then(() => relay().catch(onError))
            .finally(() => {
              if (started) tick();
            });
        }, pollIntervalMs);
        timer.unref();
      };
      await listen().catch(onError);
      // Rows a crashed process committed and never delivered.
      wake();
      tick();
    },
    async close() {
      started = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      const client = listener;
      listener = undefined;
      if (client) {
        await client.query(`UNLISTEN ${channel}`).catch(() => undefined);
        client.release();
      }
      await running?.catch(() => undefined);
    },
  };
}
