/**
 * mixed: reads with 5 % mutations, each mutation checked for read-your-write.
 *
 * autocannon cannot chain requests, so this is a small loop client on an
 * undici Pool: `connections` loops run until the deadline, each doing one
 * operation at a time. An operation is a read (70 % product page, 30 %
 * catalogue page) or, with probability {@link mutationShare}, a mutation
 * sequence:
 *
 * 1. read the product page (so a cache holds the old version),
 * 2. mutate: `updateProduct` (a new price) or `createReview`, alternately,
 * 3. once the mutation is acknowledged, read again and count a stale read if
 *    the answer does not show the write: the product page's price, and the
 *    price on the product's catalogue page, after an update; the new review
 *    among the product's latest reviews after a review.
 *
 * Each loop mutates only products it owns (id ≡ loop index mod loops), so no
 * other loop's write can make a correct answer look stale. Other loops still
 * read those products, so a cache filled concurrently with the write is
 * caught like any other stale read.
 */
import { Pool } from 'undici';
import { countsOf } from '../dataSource.js';
import { LatencyRecorder } from '../lib/latency.js';
import {
  catalogPageQuery,
  createReviewMutation,
  graphqlBody,
  productPageQuery,
  updateProductMutation,
  type CatalogPageData,
  type ProductPageData,
} from '../operations.js';
import { catalogPageOf, createPicker, type Picker } from './picker.js';
import { sampler, type Workload, type WorkloadOptions, type WorkloadResult } from './types.js';

/** Share of operations that are mutation sequences. */
export const mutationShare = 0.05;
/** Share of reads that are product pages (the rest are catalogue pages). */
export const productPageShare = 0.7;

export const mixed: Workload = {
  id: 'mixed',
  description: `Reads (${productPageShare * 100} % product pages, ${Math.round((1 - productPageShare) * 100)} % catalogue pages, Zipf) with ${mutationShare * 100} % of operations mutations (updateProduct / createReview), each followed by read-your-write checks.`,
  run: runMixed,
};

interface GraphqlAnswer<Data> {
  readonly data?: Data;
  readonly errors?: unknown;
}

async function runMixed(options: WorkloadOptions): Promise<WorkloadResult> {
  const pool = new Pool(options.baseUrl, { connections: options.connections, pipelining: 1, keepAliveTimeout: 30_000 });
  const latencies = new LatencyRecorder();
  const errorSamples = sampler();
  const staleSamples = sampler();
  const products = countsOf(options.shape).products;
  const loops = Math.max(1, options.connections);
  let errors = 0;
  let mutations = 0;
  let checks = 0;
  let staleReads = 0;

  async function post<Data>(body: string): Promise<Data | undefined> {
    const started = performance.now();
    try {
      const response = await pool.request({ path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const text = await response.body.text();
      latencies.record(performance.now() - started);
      const answer = JSON.parse(text) as GraphqlAnswer<Data>;
      if (response.statusCode !== 200 || answer.errors !== undefined || answer.data === undefined) {
        errors++;
        errorSamples.add(`${response.statusCode} ${text}`);
        return undefined;
      }
      return answer.data;
    } catch (error) {
      errors++;
      errorSamples.add(String(error));
      return undefined;
    }
  }

  function check(ok: boolean, what: string): void {
    checks++;
    if (!ok) {
      staleReads++;
      staleSamples.add(what);
    }
  }

  async function loop(index: number, picker: Picker, deadline: number): Promise<void> {
    let writes = 0;
    while (performance.now() < deadline) {
      if (picker.random() < mutationShare) {
        const productId = ownedProduct(picker.popularProduct(), index, loops, products);
        const id = String(productId);
        const before = await post<ProductPageData>(graphqlBody(productPageQuery, { id }));
        if (!before?.product) continue;
        mutations++;
        writes++;
        if (writes % 2 === 1) {
          // A price no other write produces: distinct per loop and per write.
          const price = 10_000 + (writes * loops + index) / 100;
          const updated = await post<{ updateProduct: { price: number } | null }>(graphqlBody(updateProductMutation, { id, input: { price } }));
          if (updated?.updateProduct?.price !== price) continue;
          const page = await post<ProductPageData>(graphqlBody(productPageQuery, { id }));
          if (page !== undefined) check(page.product?.price === price, `product ${id}: wrote price ${price}, product page shows ${page.product?.price}`);
          const { storeId, category } = catalogPageOf(options.shape, productId);
          const list = await post<CatalogPageData>(graphqlBody(catalogPageQuery, { storeId, category }));
          if (list !== undefined) {
            const shown = list.products.find((product) => product.id === id)?.price;
            check(shown === price, `product ${id}: wrote price ${price}, catalogue page ${storeId}/${category} shows ${shown}`);
          }
        } else {
          const input = { rating: 1 + (writes % 5), body: `bench review ${index}-${writes}`, author: `bench loop ${index}` };
          const created = await post<{ createReview: { id: string } | null }>(graphqlBody(createReviewMutation, { productId: id, input }));
          const reviewId = created?.createReview?.id;
          if (reviewId === undefined) continue;
          const page = await post<ProductPageData>(graphqlBody(productPageQuery, { id }));
          if (page !== undefined) {
            check(
              page.product?.reviews.some((review) => review.id === reviewId) === true,
              `product ${id}: created review ${reviewId}, product page shows reviews ${page.product?.reviews.map((r) => r.id).join(',')}`,
            );
          }
        }
      } else if (picker.random() < productPageShare) {
        await post(graphqlBody(productPageQuery, { id: String(picker.popularProduct()) }));
      } else {
        await post(graphqlBody(catalogPageQuery, picker.popularCatalogPage()));
      }
    }
  }

  const started = performance.now();
  const deadline = started + options.durationS * 1000;
  try {
    await Promise.all(Array.from({ length: loops }, (_, index) => loop(index, createPicker(options.shape, options.seed + index * 7919), deadline)));
  } finally {
    await pool.close();
  }
  return {
    requests: latencies.count,
    elapsedS: (performance.now() - started) / 1000,
    latencyMs: latencies.summary(),
    errors,
    errorSamples: errorSamples.samples,
    mutations,
    checks,
    staleReads,
    staleSamples: staleSamples.samples,
  };
}

/** The product owned by loop `index` nearest to `productId` (ids are 1-based). */
function ownedProduct(productId: number, index: number, loops: number, products: number): number {
  const zeroBased = productId - 1;
  let owned = zeroBased - (zeroBased % loops) + index;
  if (owned >= products) owned -= loops;
  return Math.max(0, owned) + 1;
}
