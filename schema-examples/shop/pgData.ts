/**
 * The shop's data layer on PostgreSQL (through `pg`), used when DATABASE_URL is set: the same methods as the memory
 * layer (it extends ShopData, so the resolvers, the app and the tests type it once), with its tables created and
 * seeded at start. Every write runs in its own transaction and, with an outbox, writes the invalidation of what it
 * changed in that transaction: durable with the write, delivered after the commit even if this process dies.
 */
import type pg from 'pg';
import type { PgOutbox } from '../../src/outbox/index.js';
import { ShopData, type ProductRow, type ReviewRow } from './data.js';
import { tags, tagTemplates } from './generated/cache-tags.js';

export interface PgShopDataOptions {
  pool: pg.Pool;
  /** Prefix of the tables' names (tests give each run its own). Default `shop_`. */
  tablePrefix?: string;
}

const product = `id, name, price, category, store_id AS "storeId"`;
const review = `id, product_id AS "productId", rating, body`;

export class PgShopData extends ShopData {
  readonly pool: pg.Pool;
  readonly prefix: string;
  /** Where writes put their invalidations, in their transaction; set once the cache exists. */
  outbox: PgOutbox | undefined;

  constructor(options: PgShopDataOptions) {
    super();
    this.pool = options.pool;
    this.prefix = options.tablePrefix ?? 'shop_';
  }

  /** Creates the tables and seeds them (as the memory layer is seeded) when empty. Idempotent. */
  async setup(): Promise<void> {
    const p = this.prefix;
    const client = await this.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [`${p}setup`]);
      await client.query(`CREATE TABLE IF NOT EXISTS ${p}organizations (id text PRIMARY KEY, name text NOT NULL)`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${p}stores (id text PRIMARY KEY, name text NOT NULL, organization_id text NOT NULL)`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${p}products (id text PRIMARY KEY, name text NOT NULL, price double precision NOT NULL, category text NOT NULL, store_id text NOT NULL)`,
      );
      await client.query(`CREATE TABLE IF NOT EXISTS ${p}reviews (id text PRIMARY KEY, product_id text NOT NULL, rating int NOT NULL, body text NOT NULL)`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${p}customers (id text PRIMARY KEY, name text NOT NULL, favorite_product_ids text[] NOT NULL)`);
      await client.query(`CREATE SEQUENCE IF NOT EXISTS ${p}ids START 1000`);
      if ((await client.query(`SELECT 1 FROM ${p}organizations LIMIT 1`)).rows.length === 0) await this.#seed(client);
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`${p}setup`]);
    } finally {
      client.release();
    }
  }

  async #seed(client: pg.PoolClient): Promise<void> {
    const p = this.prefix;
    // The memory layer's seed data, read through its own methods so both layers start identical.
    const seed = new ShopData();
    for (const id of ['1', '2']) {
      const org = (await seed.organization(id))!;
      await client.query(`INSERT INTO ${p}organizations VALUES ($1, $2)`, [org.id, org.name]);
      for (const store of await seed.storesOfOrganization(id)) {
        await client.query(`INSERT INTO ${p}stores VALUES ($1, $2, $3)`, [store.id, store.name, store.organizationId]);
        for (const row of await seed.products(store.id)) {
          await client.query(`INSERT INTO ${p}products VALUES ($1, $2, $3, $4, $5)`, [row.id, row.name, row.price, row.category, row.storeId]);
          for (const r of await seed.reviewsOfProduct(row.id))
            await client.query(`INSERT INTO ${p}reviews VALUES ($1, $2, $3, $4)`, [r.id, r.productId, r.rating, r.body]);
        }
      }
    }
    for (const id of ['alice', 'bob']) {
      const customer = (await seed.customer(id))!;
      await client.query(`INSERT INTO ${p}customers VALUES ($1, $2, $3)`, [customer.id, customer.name, customer.favoriteProductIds]);
    }
  }

  async #query<T>(method: string, text: string, values: unknown[]): Promise<T[]> {
    this.calls[method] = (this.calls[method] ?? 0) + 1;
    const { rows } = await this.pool.query(text, values);
    await this.onRead?.(method);
    return rows as T[];
  }

  /** One write in its own transaction, with the invalidation of what it changed written in the same transaction. */
  async #write<T>(method: string, write: (client: pg.PoolClient) => Promise<T | null>, invalidates: (row: T) => string[]): Promise<T | null> {
    this.calls[method] = (this.calls[method] ?? 0) + 1;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const row = await write(client);
      if (row && this.outbox) await this.outbox.enqueue(client, invalidates(row));
      await client.query('COMMIT');
      return row;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  override async organization(id: string) {
    return (await this.#query<{ id: string; name: string }>('organization', `SELECT id, name FROM ${this.prefix}organizations WHERE id = $1`, [id]))[0] ?? null;
  }
  override storesOfOrganization(organizationId: string) {
    return this.#query<{ id: string; name: string; organizationId: string }>(
      'storesOfOrganization',
      `SELECT id, name, organization_id AS "organizationId" FROM ${this.prefix}stores WHERE organization_id = $1 ORDER BY id`,
      [organizationId],
    );
  }
  override async store(id: string) {
    return (
      (
        await this.#query<{ id: string; name: string; organizationId: string }>(
          'store',
          `SELECT id, name, organization_id AS "organizationId" FROM ${this.prefix}stores WHERE id = $1`,
          [id],
        )
      )[0] ?? null
    );
  }
  override async product(id: string) {
    return (await this.#query<ProductRow>('product', `SELECT ${product} FROM ${this.prefix}products WHERE id = $1`, [id]))[0] ?? null;
  }
  override products(storeId: string, category?: string | null) {
    return this.#query<ProductRow>(
      'products',
      `SELECT ${product} FROM ${this.prefix}products WHERE store_id = $1 AND ($2::text IS NULL OR category = $2) ORDER BY id`,
      [storeId, category ?? null],
    );
  }
  override reviewsOfProduct(productId: string) {
    return this.#query<ReviewRow>('reviewsOfProduct', `SELECT ${review} FROM ${this.prefix}reviews WHERE product_id = $1 ORDER BY id::int`, [productId]);
  }
  override async customer(id: string) {
    return (
      (
        await this.#query<{ id: string; name: string; favoriteProductIds: string[] }>(
          'customer',
          `SELECT id, name, favorite_product_ids AS "favoriteProductIds" FROM ${this.prefix}customers WHERE id = $1`,
          [id],
        )
      )[0] ?? null
    );
  }

  override updateProduct(id: string, input: Partial<Pick<ProductRow, 'name' | 'price' | 'category'>>) {
    return this.#write<ProductRow>(
      'updateProduct',
      async (client) =>
        (
          await client.query(
            `UPDATE ${this.prefix}products SET name = coalesce($2, name), price = coalesce($3, price), category = coalesce($4, category) WHERE id = $1 RETURNING ${product}`,
            [id, input.name ?? null, input.price ?? null, input.category ?? null],
          )
        ).rows[0] ?? null,
      // Its store's lists too: a changed category moves it between filtered lists.
      (row) => [tags.Product(row), tagTemplates['Store:{$parent.id}:products']({ $parent: { id: row.storeId } })],
    );
  }
  override async createProduct(input: Omit<ProductRow, 'id'>) {
    return (await this.#write<ProductRow>(
      'createProduct',
      async (client) =>
        (
          await client.query(`INSERT INTO ${this.prefix}products SELECT nextval('${this.prefix}ids')::text, $1, $2, $3, $4 RETURNING ${product}`, [
            input.name,
            input.price,
            input.category,
            input.storeId,
          ])
        ).rows[0] as ProductRow,
      (row) => [tagTemplates['Store:{$parent.id}:products']({ $parent: { id: row.storeId } })],
    ))!;
  }
  override async createReview(productId: string, input: Pick<ReviewRow, 'rating' | 'body'>) {
    return (await this.#write<ReviewRow>(
      'createReview',
      async (client) =>
        (
          await client.query(`INSERT INTO ${this.prefix}reviews SELECT nextval('${this.prefix}ids')::text, $1, $2, $3 RETURNING ${review}`, [
            productId,
            input.rating,
            input.body,
          ])
        ).rows[0] as ReviewRow,
      (row) => [tagTemplates['Product:{$parent.id}:reviews']({ $parent: { id: row.productId } })],
    ))!;
  }
  override updateStore(id: string, input: { name?: string | null }) {
    return this.#write<{ id: string; name: string; organizationId: string }>(
      'updateStore',
      async (client) =>
        (
          await client.query(
            `UPDATE ${this.prefix}stores SET name = coalesce($2, name) WHERE id = $1 RETURNING id, name, organization_id AS "organizationId"`,
            [id, input.name ?? null],
          )
        ).rows[0] ?? null,
      (row) => [tags.Store(row)],
    );
  }
  override updateOrganization(id: string, input: { name?: string | null }) {
    return this.#write<{ id: string; name: string }>(
      'updateOrganization',
      async (client) =>
        (await client.query(`UPDATE ${this.prefix}organizations SET name = coalesce($2, name) WHERE id = $1 RETURNING id, name`, [id, input.name ?? null]))
          .rows[0] ?? null,
      (row) => [tags.Organization(row)],
    );
  }
}
