/** `cachetag/outbox`: invalidations as durable as the write (the transactional outbox on PostgreSQL). */
export {
  createPgOutbox,
  defaultBatchSize,
  defaultOutboxTable,
  defaultPollIntervalMs,
  type InvalidationTarget,
  type PgOutbox,
  type PgOutboxOptions,
  type PgPool,
  type PgPoolClient,
  type PgQueryable,
} from './pgOutbox.js';
