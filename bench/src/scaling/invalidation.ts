/**
 * How invalidation scales with the size of cachetag's memory store.
 *
 * cachetag invalidates by raising tag versions, never by finding the
 * entries that carry a tag, so invalidating should cost the same with 1,000
 * entries as with 1,000,000; the check moves to reads, which compare an
 * entry's few tags with their versions. This script fills a store with 1k,
 * 100k and 1M entries through the library API (`createMemoryStore()`,
 * `store.set`, `store.invalidate`, `store.get`) and times, per size:
 *
 * - invalidating one entity tag (`Product:N`, one entry depends on it),
 * - invalidating one list tag (`Store:S:products`, 100 entries depend on it),
 * - a batched read of 100 fresh keys once those invalidations have left
 *   thousands of tag versions behind (each read checks an entry's 5 tags).
 *
 * The same regions serve every size: invalidations hit the first 500
 * entries, reads the 500 entries from the middle of the store, so every size
 * does the same work and only the store's size differs.
 *
 * Every time is reported as a ratio to the 1k case of the same run. The
 * operations take about a microsecond, so other work on the machine shows:
 * the sizes are measured in interleaved rounds and each figure is the median
 * over rounds.
 *
 * Usage: npm run scaling:invalidation [-- --sizes 1000,100000,1000000 --operations 20000 --rounds 3]
 */
import { expandTags, createMemoryStore, type MemoryStore, type StoreEntry } from 'cachetag';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describeMachine } from '../lib/machine.js';
import { resultsDir } from '../lib/paths.js';
import { createRandom, randomInt } from '../prng.js';

/** Entries that share one store tag. */
const entriesPerStore = 100;
const valueBytes = 64;
const readBatch = 100;
/** Entries in the invalidated region and in the read region. */
const regionSize = 500;

interface SizeResult {
  readonly entries: number;
  readonly fillSeconds: number;
  readonly heapUsedMiB: number;
  /** Median over repeated timed blocks, microseconds per operation. */
  readonly entityInvalidateUs: number;
  readonly listInvalidateUs: number;
  readonly readAfterInvalidateUs: number;
}

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,100000,1000000' },
    operations: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '3' },
  },
});
const rounds = Number(values.rounds);
const sizes = values.sizes!.split(',').map((s) => Number(s.trim()));
const operations = Number(values.operations);
if (sizes.some((n) => !Number.isInteger(n) || n < entriesPerStore) || !(operations > 0) || !(Number.isInteger(rounds) && rounds > 0)) {
  throw new Error(`--sizes takes integers of at least ${entriesPerStore}; --operations and --rounds positive numbers`);
}

// A throwaway pass first, so the JIT has optimised the paths before the first reported size.
await measureSize(sizes[0]!);
const samples = new Map<number, SizeResult[]>(sizes.map((n) => [n, []]));
for (let round = 1; round <= rounds; round++) {
  for (const entries of sizes) {
    const sample = await measureSize(entries);
    samples.get(entries)!.push(sample);
    console.log(
      `round ${round}/${rounds}, ${entries.toLocaleString('en')} entries: filled in ${sample.fillSeconds.toFixed(1)} s, heap ${sample.heapUsedMiB} MiB`,
    );
  }
}
const results: SizeResult[] = sizes.map((entries) => {
  const runs = samples.get(entries)!;
  return {
    entries,
    fillSeconds: median(runs.map((r) => r.fillSeconds)),
    heapUsedMiB: median(runs.map((r) => r.heapUsedMiB)),
    entityInvalidateUs: median(runs.map((r) => r.entityInvalidateUs)),
    listInvalidateUs: median(runs.map((r) => r.listInvalidateUs)),
    readAfterInvalidateUs: median(runs.map((r) => r.readAfterInvalidateUs)),
  };
});
for (const r of results) {
  console.log(
    `${r.entries.toLocaleString('en')} entries, ratios to ${sizes[0]!.toLocaleString('en')}: entity invalidate ${ratio(r.entityInvalidateUs, results[0]!.entityInvalidateUs)}, ` +
      `list invalidate ${ratio(r.listInvalidateUs, results[0]!.listInvalidateUs)}, read after ${ratio(r.readAfterInvalidateUs, results[0]!.readAfterInvalidateUs)}`,
  );
}

const report = {
  generatedAt: new Date().toISOString(),
  machine: describeMachine(null),
  settings: { sizes, operations, rounds, entriesPerStore, valueBytes, readBatch },
  baselineEntries: sizes[0],
  results: results.map((r) => ({
    ...r,
    ratios: {
      entityInvalidate: r.entityInvalidateUs / results[0]!.entityInvalidateUs,
      listInvalidate: r.listInvalidateUs / results[0]!.listInvalidateUs,
      readAfterInvalidate: r.readAfterInvalidateUs / results[0]!.readAfterInvalidateUs,
    },
  })),
};
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, 'scaling-invalidation.json'), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(join(resultsDir, 'scaling-invalidation.md'), renderMarkdown());
console.log(`Wrote ${join(resultsDir, 'scaling-invalidation')}.{json,md}`);

async function measureSize(entries: number): Promise<SizeResult> {
  const store = createMemoryStore({
    maxEntries: entries + 1,
    maxBytes: 2 ** 31 - 1,
    // Every timed invalidation leaves a version behind; keep them all so no floor is raised mid-measurement.
    maxTagVersions: operations * 4 + 1_000,
  });
  const started = performance.now();
  await fill(store, entries);
  const fillSeconds = (performance.now() - started) / 1000;
  globalThis.gc?.();
  const heapUsedMiB = Math.round(process.memoryUsage().heapUsed / 2 ** 20);

  const random = createRandom(1);
  const writeRegion = Math.min(regionSize, entries / 2);
  const readStart = Math.floor(entries / 2);
  const entityInvalidateUs = await timePerOperation(() => store.invalidate([`Product:${randomInt(random, 0, writeRegion - 1)}`]));
  const listInvalidateUs = await timePerOperation(() =>
    store.invalidate([`Store:${randomInt(random, 0, Math.max(1, writeRegion / entriesPerStore) - 1)}:products`]),
  );
  let stale = 0;
  const readAfterInvalidateUs = await timePerOperation(async () => {
    const keys: string[] = [];
    for (let i = 0; i < readBatch; i++) keys.push(keyOf(readStart + randomInt(random, 0, Math.min(regionSize, entries - readStart) - 1)));
    const { values } = await store.get(keys);
    for (const value of values) if (!(value instanceof Uint8Array)) stale++;
  });
  if (stale > 0) throw new Error(`${stale} reads of the read region missed: the regions overlap or entries were evicted`);
  await store.close();
  return { entries, fillSeconds, heapUsedMiB, entityInvalidateUs, listInvalidateUs, readAfterInvalidateUs };
}

async function fill(store: MemoryStore, entries: number): Promise<void> {
  const value = new Uint8Array(valueBytes).fill(7);
  for (let start = 0; start < entries; start += 1_000) {
    const { seq } = await store.get([]);
    const batch: StoreEntry[] = [];
    for (let i = start; i < Math.min(entries, start + 1_000); i++) {
      batch.push({
        key: keyOf(i),
        value,
        tags: expandTags([`Product:${i}`, `Store:${Math.floor(i / entriesPerStore)}:products`]),
        ttlMs: 3_600_000,
        fetchSeq: seq,
      });
    }
    const written = await store.set(batch);
    if (written !== batch.length) throw new Error(`only ${written} of ${batch.length} entries were written`);
  }
}

/**
 * Median of 9 timed blocks of `operations / 9` operations each, in
 * microseconds per operation. A full GC first (with --expose-gc), so that
 * collecting a large heap filled just before does not land in the timings.
 */
async function timePerOperation(operation: () => Promise<unknown>): Promise<number> {
  globalThis.gc?.();
  // Let V8's concurrent sweeping of a large heap (after a 1M-entry fill) finish before timing microsecond operations:
  // otherwise the first operation timed measures the collector, not the store.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const blocks = 9;
  const perBlock = Math.max(1, Math.floor(operations / blocks));
  for (let i = 0; i < perBlock; i++) await operation(); // warm the code path
  const times: number[] = [];
  for (let b = 0; b < blocks; b++) {
    const started = performance.now();
    for (let i = 0; i < perBlock; i++) await operation();
    times.push(((performance.now() - started) * 1000) / perBlock);
  }
  return times.sort((a, b) => a - b)[Math.floor(blocks / 2)]!;
}

function keyOf(i: number): string {
  return `Query.product:{"id":"${i}"}:page`;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function ratio(value: number, base: number): string {
  return `${(value / base).toFixed(2)}×`;
}

function renderMarkdown(): string {
  const lines = [
    '# Invalidation time vs store size (cachetag memory store)',
    '',
    `Ratios to the ${sizes[0]!.toLocaleString('en')}-entry store (medians of ${rounds} interleaved rounds), measured in one run on ${report.machine.cpuModel} (${report.machine.cores} cores), Node ${report.machine.node}, ${report.generatedAt}.`,
    `Each entry has a ${valueBytes}-byte value and the tags Product:N and Store:S:products (with ancestors); ${entriesPerStore} entries share a store tag.`,
    '',
    '| entries | invalidate one entity tag | invalidate one list tag (100 entries) | read 100 keys after invalidations |',
    '| ---: | ---: | ---: | ---: |',
    ...report.results.map(
      (r) =>
        `| ${r.entries.toLocaleString('en')} | ${r.ratios.entityInvalidate.toFixed(2)}× | ${r.ratios.listInvalidate.toFixed(2)}× | ${r.ratios.readAfterInvalidate.toFixed(2)}× |`,
    ),
    '',
  ];
  return lines.join('\n');
}
