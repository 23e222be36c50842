/** Drops every table (and sequence) whose name starts with a prefix: the example's tables of one test run. */
import type pg from 'pg';

export async function dropPrefixed(pool: pg.Pool, prefix: string): Promise<void> {
  const { rows } = await pool.query(`SELECT relname FROM pg_class WHERE relkind IN ('r', 'S') AND relname LIKE $1`, [`${prefix}%`]);
  for (const { relname } of rows as { relname: string }[])
    await pool.query(`DROP TABLE IF EXISTS ${relname} CASCADE`).catch(() => pool.query(`DROP SEQUENCE IF EXISTS ${relname}`));
}
