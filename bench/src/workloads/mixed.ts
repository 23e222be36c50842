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
import { Worker } from 'node:worker_threads';
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
export const mutationShare = Number(process.env.BENCH_MUTATION_SHARE ?? 0.05);
/** Share of reads that are product pages (the rest are catalogue pages). */
export const productPageShare = 0.7;

export const mixed: Workload = {
  id: 'mixed',
  mutates: true,
  description: `Reads (${productPageShare * 100} % product pages, ${Math.round((1 - productPageShare) * 100)} % catalogue pages, Zipf) with ${mutationShare * 100} % of operations mutations (updateProduct / createReview), each followed by read-your-write checks.`,
  run: runMixed,
};

/**
 * Client worker threads (BENCH_CLIENT_WORKERS, default 1). The client shares the machine with the server: a
 * single-threaded client caps the requests/s at what one core can send and check, which hides every server faster
 * than that. With workers, client and server share the cores, as they would share any machine.
 */
export const clientWorkers = Math.max(1, Number(process.env.BENCH_CLIENT_WORKERS ?? 1));

/** What one set of client loops measured; latencies are raw, so workers can be merged. */
export interface LoopsResult extends Omit<WorkloadResult, 'latencyMs' | 'elapsedS'> {
  readonly latencies: Float64Array;
}

async function runMixed(options: WorkloadOptions): Promise<WorkloadResult> {
  const loops = Math.max(1, options.connections);
  const workers = Math.min(clientWorkers, loops);
  const started = performance.now();
  const parts =
    workers === 1
      ? [
          await runLoops(
            options,
            Array.from({ length: loops }, (_, i) => i),
            loops,
          ),
        ]
      : await Promise.all(
          Array.from({ length: workers }, (_, w) => {
            const indexes = Array.from({ length: loops }, (_, i) => i).filter((i) => i % workers === w);
            // mixedWorker.mjs loads mixedWorker.ts through tsx.
            const worker = new Worker(new URL('./mixedWorker.mjs', import.meta.url), { workerData: { options, indexes, loops } });
            return new Promise<LoopsResult>((resolve, reject) => {
              worker.once('message', (result: LoopsResult) => resolve(result));
              worker.once('error', reject);
              worker.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`mixed client worker exited with ${code}`))));
            });
          }),
        );
  const latencies = new LatencyRecorder();
  for (const part of parts) latencies.recordAll(part.latencies);
  const merge = (pick: (p: LoopsResult) => readonly string[]) => parts.flatMap(pick).slice(0, 3);
  const sum = (pick: (p: LoopsResult) => number) => parts.reduce((total, p) => total + pick(p), 0);
  return {
    requests: latencies.count,
    elapsedS: (performance.now() - started) / 1000,
    latencyMs: latencies.summary(),
    errors: sum((p) => p.errors),
    errorSamples: merge((p) => p.errorSamples),
    mutations: sum((p) => p.mutations),
    checks: sum((p) => p.checks),
    staleReads: sum((p) => p.staleReads),
    staleSamples: merge((p) => p.staleSamples),
  };
}

interface GraphqlAnswer<Data> {
  readonly data?: Data;
  readonly errors?: unknown;
}

/** Runs the client loops numbered `indexes` (of `loops` in all) until the deadline. */
export async function runLoops(options: WorkloadOptions, indexes: readonly number[], loops: number): Promise<LoopsResult> {
  const pool = new Pool(options.baseUrl, { connections: indexes.length, pipelining: 1, keepAliveTimeout: 30_000 });
  const latencies = new LatencyRecorder();
  const errorSamples = sampler();
  const staleSamples = sampler();
  const products = countsOf(options.shape).products;
  let errors = 0;
  let mutations = 0;
  let checks = 0;
  let staleReads = 0;

  /**
   * Sends one operation. Plain reads (`parse: false`) only check the status and that the body carries data and no
   * errors, without parsing it: the client shares the machine's two cores with the server, and parsing every
   * answer made it, not the server, the bottleneck.
   */
  async function post<Data>(body: string, parse = true): Promise<Data | undefined> {
    const started = performance.now();
    try {
      const response = await pool.request({ path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const text = await response.body.text();
      latencies.record(performance.now() - started);
      if (!parse) {
        if (response.statusCode !== 200 || !text.startsWith('{"data":{') || text.includes('"errors":')) {
          errors++;
          errorSamples.add(`${response.statusCode} ${text}`);
          return undefined;
        }
        return {} as Data;
      }
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
        await post(graphqlBody(productPageQuery, { id: String(picker.popularProduct()) }), false);
      } else {
        await post(graphqlBody(catalogPageQuery, picker.popularCatalogPage()), false);
      }
    }
  }

  const deadline = performance.now() + options.durationS * 1000;
  try {
    await Promise.all(indexes.map((index) => loop(index, createPicker(options.shape, options.seed + index * 7919), deadline)));
  } finally {
    await pool.close();
  }
  return {
    requests: latencies.count,
    latencies: latencies.samples(),
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
