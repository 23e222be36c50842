/**
 * Which ids a workload asks for. Popularity follows a Zipf law over a seeded
 * permutation, so the hot items are spread over the id space (not just
 * product 1, 2, 3…). Which items are hot depends on the data set's seed
 * only, so a warm-up (another sequence seed) warms the same items that the
 * measurement asks for; the sequence depends on `seed`, so every contender
 * sees the same sequence for one seed.
 */
import { categories, countsOf, placementOf, type DataSetShape } from '../dataSource.js';
import { createRandom, createZipf, type Random } from '../prng.js';

/** The Zipf exponent of page popularity. */
export const zipfExponent = 1.0;

/** Number of products in the hot-read set. */
export const hotSetSize = 100;

export interface CatalogPage {
  readonly storeId: string;
  readonly category: string;
}

export interface Picker {
  readonly random: Random;
  /** A product id by popularity over the whole catalogue. */
  popularProduct(): number;
  /** A product id from the small hot set, uniformly. */
  hotProduct(): number;
  /** A (store, category) catalogue page by popularity. */
  popularCatalogPage(): CatalogPage;
}

export function createPicker(shape: DataSetShape, seed: number): Picker {
  const random = createRandom(seed);
  const counts = countsOf(shape);
  const productOrder = permutation(counts.products, createRandom(shape.seed ^ 0x5eed));
  const pageOrder = permutation(counts.stores * categories.length, createRandom(shape.seed ^ 0xca7));
  const productRank = createZipf(counts.products, zipfExponent, random);
  const pageRank = createZipf(pageOrder.length, zipfExponent, random);
  return {
    random,
    popularProduct: () => productOrder[productRank()]! + 1,
    hotProduct: () => productOrder[Math.floor(random() * Math.min(hotSetSize, counts.products))]! + 1,
    popularCatalogPage: () => {
      const page = pageOrder[pageRank()]!;
      return { storeId: String(Math.floor(page / categories.length) + 1), category: categories[page % categories.length]! };
    },
  };
}

/** The catalogue page a product appears on. */
export function catalogPageOf(shape: DataSetShape, productId: number): CatalogPage {
  return placementOf(shape, productId);
}

function permutation(n: number, random: Random): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}
