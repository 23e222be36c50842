/**
 * The data behind every contender: Organization → Store → Product → Review,
 * generated from a seed so that every contender process holds the same data.
 *
 * Every call costs a simulated round trip (`latencyMs`) and is counted, so a
 * run can report how much work each cache saved the backend. Reads are batch
 * calls, the shape a database or a REST backend offers, and the per-request
 * DataLoaders of {@link createLoaders} turn a GraphQL execution into as few
 * of them as possible.
 *
 * Records are frozen and replaced, never mutated, on writes: a cache that
 * keeps a reference to a record must not see a write it was not told about.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import DataLoader from 'dataloader';
import { createRandom, randomInt, type Random } from './prng.js';

export interface OrganizationRecord {
  readonly id: string;
  readonly name: string;
}

export interface StoreRecord {
  readonly id: string;
  readonly name: string;
  readonly organizationId: string;
}

export interface ProductRecord {
  readonly id: string;
  readonly name: string;
  readonly price: number;
  readonly category: string;
  readonly stock: number;
  readonly storeId: string;
  readonly reviewCount: number;
  readonly ratingTotal: number;
}

export interface ReviewRecord {
  readonly id: string;
  readonly productId: string;
  readonly rating: number;
  readonly body: string;
  readonly author: string;
}

export interface UpdateProductInput {
  readonly name?: string | null;
  readonly price?: number | null;
  readonly stock?: number | null;
}

export interface CreateReviewInput {
  readonly rating: number;
  readonly body: string;
  readonly author: string;
}

/** The size of the generated data set. */
export interface DataSetShape {
  readonly seed: number;
  readonly organizations: number;
  readonly storesPerOrganization: number;
  readonly productsPerStore: number;
  /** Each product gets between 0 and this many reviews (uniformly), so about half of it on average. */
  readonly maxReviewsPerProduct: number;
}

/** 5 organizations, 100 stores, 4,000 products, about 40,000 reviews. */
export const defaultDataSetShape: DataSetShape = {
  seed: 20_240_601,
  organizations: 5,
  storesPerOrganization: 20,
  productsPerStore: 40,
  maxReviewsPerProduct: 20,
};

/** The product categories; each store spreads its products evenly over them. */
export const categories = ['books', 'games', 'garden', 'kitchen', 'music', 'outdoor', 'tools', 'toys'] as const;

/** Default simulated latency of one data-source call, in milliseconds. */
export const defaultLatencyMs = 1;

/** The simulated latency from `BENCH_LATENCY_MS`, or {@link defaultLatencyMs}. */
export function latencyMsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.BENCH_LATENCY_MS;
  if (raw === undefined || raw === '') return defaultLatencyMs;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(`BENCH_LATENCY_MS must be a non-negative number of milliseconds; received ${JSON.stringify(raw)}.`);
  }
  return value;
}

/** Counters of the work done by the backend since the last reset. */
export interface DataSourceStats {
  /** Round trips: one per batch call or write. */
  calls: number;
  /** Keys asked for or written across all calls. */
  keys: number;
}

export interface DataSource {
  readonly shape: DataSetShape;
  readonly stats: Readonly<DataSourceStats>;
  resetStats(): void;
  organizationsById(ids: readonly string[]): Promise<(OrganizationRecord | null)[]>;
  storesById(ids: readonly string[]): Promise<(StoreRecord | null)[]>;
  storesByOrganization(organizationIds: readonly string[]): Promise<StoreRecord[][]>;
  productsById(ids: readonly string[]): Promise<(ProductRecord | null)[]>;
  /** Products of a store, optionally of one category, in id order. */
  productsByStore(queries: readonly ProductsByStoreQuery[]): Promise<ProductRecord[][]>;
  /** Reviews of each product, newest first. */
  reviewsByProduct(productIds: readonly string[]): Promise<ReviewRecord[][]>;
  updateProduct(id: string, input: UpdateProductInput): Promise<ProductRecord | null>;
  createReview(productId: string, input: CreateReviewInput): Promise<ReviewRecord | null>;
}

export interface ProductsByStoreQuery {
  readonly storeId: string;
  readonly category: string | null;
}

export interface DataSourceOptions {
  /** Simulated latency of every call in milliseconds. Default {@link defaultLatencyMs}. */
  latencyMs?: number;
  shape?: Partial<DataSetShape>;
}

/** Id ranges of a shape, for workloads that pick ids without holding the data. */
export function countsOf(shape: DataSetShape): { organizations: number; stores: number; products: number } {
  const stores = shape.organizations * shape.storesPerOrganization;
  return { organizations: shape.organizations, stores, products: stores * shape.productsPerStore };
}

/** The store and category of a product id, as generated (a product never moves). */
export function placementOf(shape: DataSetShape, productId: number): { storeId: string; category: string } {
  const index = productId - 1;
  const store = Math.floor(index / shape.productsPerStore) + 1;
  return { storeId: String(store), category: categories[(index % shape.productsPerStore) % categories.length]! };
}

export function createDataSource(options: DataSourceOptions = {}): DataSource {
  const latencyMs = options.latencyMs ?? defaultLatencyMs;
  const shape: DataSetShape = { ...defaultDataSetShape, ...options.shape };
  const random = createRandom(shape.seed);

  const organizations = new Map<string, OrganizationRecord>();
  const stores = new Map<string, StoreRecord>();
  const storeIdsByOrganization = new Map<string, string[]>();
  const products = new Map<string, ProductRecord>();
  const productIdsByStore = new Map<string, string[]>();
  const reviews = new Map<string, ReviewRecord[]>();
  let nextReviewId = 1;

  let storeId = 0;
  let productId = 0;
  for (let o = 1; o <= shape.organizations; o++) {
    const organization = Object.freeze({ id: String(o), name: `${pick(random, orgWords)} ${pick(random, orgSuffixes)}` });
    organizations.set(organization.id, organization);
    const storeIds: string[] = [];
    for (let s = 0; s < shape.storesPerOrganization; s++) {
      const store = Object.freeze({ id: String(++storeId), name: `${pick(random, cityWords)} ${organization.name}`, organizationId: organization.id });
      stores.set(store.id, store);
      storeIds.push(store.id);
      const productIds: string[] = [];
      for (let p = 0; p < shape.productsPerStore; p++) {
        const id = String(++productId);
        const count = randomInt(random, 0, shape.maxReviewsPerProduct);
        const productReviews: ReviewRecord[] = [];
        let ratingTotal = 0;
        for (let r = 0; r < count; r++) {
          const review = makeReview(String(nextReviewId++), id, randomInt(random, 1, 5), random);
          ratingTotal += review.rating;
          productReviews.push(review);
        }
        productReviews.reverse();
        reviews.set(id, Object.freeze(productReviews) as ReviewRecord[]);
        products.set(
          id,
          Object.freeze({
            id,
            name: `${pick(random, productAdjectives)} ${pick(random, productNouns)}`,
            price: randomInt(random, 100, 50_000) / 100,
            category: categories[p % categories.length]!,
            stock: randomInt(random, 0, 500),
            storeId: store.id,
            reviewCount: count,
            ratingTotal,
          }),
        );
        productIds.push(id);
      }
      productIdsByStore.set(store.id, productIds);
    }
    storeIdsByOrganization.set(organization.id, storeIds);
  }

  const stats: DataSourceStats = { calls: 0, keys: 0 };

  async function roundTrip(keys: number): Promise<void> {
    stats.calls++;
    stats.keys += keys;
    if (latencyMs > 0) await sleep(latencyMs);
  }

  return {
    shape,
    stats,
    resetStats() {
      stats.calls = 0;
      stats.keys = 0;
    },
    async organizationsById(ids) {
      await roundTrip(ids.length);
      return ids.map((id) => organizations.get(id) ?? null);
    },
    async storesById(ids) {
      await roundTrip(ids.length);
      return ids.map((id) => stores.get(id) ?? null);
    },
    async storesByOrganization(organizationIds) {
      await roundTrip(organizationIds.length);
      return organizationIds.map((id) => (storeIdsByOrganization.get(id) ?? []).map((storeId) => stores.get(storeId)!));
    },
    async productsById(ids) {
      await roundTrip(ids.length);
      return ids.map((id) => products.get(id) ?? null);
    },
    async productsByStore(queries) {
      await roundTrip(queries.length);
      return queries.map(({ storeId, category }) => {
        const out: ProductRecord[] = [];
        for (const id of productIdsByStore.get(storeId) ?? []) {
          const product = products.get(id)!;
          if (category === null || product.category === category) out.push(product);
        }
        return out;
      });
    },
    async reviewsByProduct(productIds) {
      await roundTrip(productIds.length);
      return productIds.map((id) => reviews.get(id) ?? []);
    },
    async updateProduct(id, input) {
      await roundTrip(1);
      const current = products.get(id);
      if (current === undefined) return null;
      const next = Object.freeze({
        ...current,
        ...(input.name != null ? { name: input.name } : {}),
        ...(input.price != null ? { price: input.price } : {}),
        ...(input.stock != null ? { stock: input.stock } : {}),
      });
      products.set(id, next);
      return next;
    },
    async createReview(productId, input) {
      await roundTrip(1);
      const product = products.get(productId);
      if (product === undefined) return null;
      const review = Object.freeze({ id: String(nextReviewId++), productId, rating: input.rating, body: input.body, author: input.author });
      reviews.set(productId, Object.freeze([review, ...(reviews.get(productId) ?? [])]) as ReviewRecord[]);
      products.set(productId, Object.freeze({ ...product, reviewCount: product.reviewCount + 1, ratingTotal: product.ratingTotal + input.rating }));
      return review;
    },
  };
}

/** The per-request DataLoaders over a {@link DataSource}. */
export interface Loaders {
  readonly organization: DataLoader<string, OrganizationRecord | null>;
  readonly storesByOrganization: DataLoader<string, StoreRecord[]>;
  readonly store: DataLoader<string, StoreRecord | null>;
  readonly product: DataLoader<string, ProductRecord | null>;
  /** Keyed by {@link productsByStoreKey}. */
  readonly productsByStore: DataLoader<string, ProductRecord[]>;
  readonly reviewsByProduct: DataLoader<string, ReviewRecord[]>;
}

/** The key of `Loaders.productsByStore` for a store and an optional category. */
export function productsByStoreKey(storeId: string, category: string | null | undefined): string {
  return `${storeId}\u0000${category ?? ''}`;
}

/** New loaders for one request: DataLoader's cache must not outlive the request, or it becomes a cache of its own. */
export function createLoaders(dataSource: DataSource): Loaders {
  return {
    organization: new DataLoader((ids) => dataSource.organizationsById(ids)),
    storesByOrganization: new DataLoader((ids) => dataSource.storesByOrganization(ids)),
    store: new DataLoader((ids) => dataSource.storesById(ids)),
    product: new DataLoader((ids) => dataSource.productsById(ids)),
    productsByStore: new DataLoader((keys) =>
      dataSource.productsByStore(
        keys.map((key) => {
          const [storeId, category] = key.split('\u0000') as [string, string];
          return { storeId, category: category === '' ? null : category };
        }),
      ),
    ),
    reviewsByProduct: new DataLoader((ids) => dataSource.reviewsByProduct(ids)),
  };
}

function makeReview(id: string, productId: string, rating: number, random: Random): ReviewRecord {
  const words = randomInt(random, 8, 24);
  const body: string[] = [];
  for (let i = 0; i < words; i++) body.push(pick(random, reviewWords));
  return Object.freeze({ id, productId, rating, body: body.join(' '), author: `${pick(random, firstNames)} ${pick(random, lastInitials)}.` });
}

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

const orgWords = ['Northwind', 'Contoso', 'Fabrikam', 'Tailspin', 'Wingtip', 'Adventure', 'Litware', 'Proseware'];
const orgSuffixes = ['Retail', 'Group', 'Trading', 'Goods', 'Market'];
const cityWords = ['Lyon', 'Porto', 'Gdansk', 'Leeds', 'Ghent', 'Turin', 'Bergen', 'Graz', 'Cork', 'Malmo'];
const productAdjectives = ['Compact', 'Deluxe', 'Rugged', 'Classic', 'Smart', 'Quiet', 'Bright', 'Modular', 'Vintage', 'Light'];
const productNouns = ['Kettle', 'Lantern', 'Notebook', 'Drill', 'Puzzle', 'Speaker', 'Planter', 'Backpack', 'Novel', 'Whisk', 'Tent', 'Guitar'];
const reviewWords = [
  'great',
  'value',
  'broke',
  'after',
  'a',
  'week',
  'works',
  'as',
  'described',
  'would',
  'buy',
  'again',
  'the',
  'colour',
  'is',
  'off',
  'fast',
  'delivery',
  'solid',
  'build',
  'not',
  'worth',
  'it',
  'love',
];
const firstNames = ['Ana', 'Ben', 'Chloe', 'Dev', 'Eva', 'Farid', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Kemal', 'Lena'];
const lastInitials = ['A', 'B', 'K', 'M', 'O', 'R', 'S', 'T', 'V', 'W'];
