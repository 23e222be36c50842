/**
 * The reliability runner: `npm run reliability` (the CI sizes) or `npm run reliability -- --long` (the published
 * sizes). Runs the history checker over every store and mode, then the interleaving explorer and the key-collision
 * search, prints one table and, with --long (or --write), writes it to test/reliability/results/latest.md.
 * `--only-interleavings` runs the interleaving explorer alone (written to results/partial.md).
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { caseLabel, historyCases, runHistoryCase, staleBoundMs } from './history/matrix.js';
import { REPLICA_PROMOTED, RESHARDED, runReplicaPromoted, runResharded } from './faults/topology.js';
import { ruleOfThree, type HistoryResult } from './history/history.js';
import { exploreInterleavings, interleavingRuns } from './interleavings/explore.js';
import { searchKeyCollisions, keyCollisionPairs } from './isolation/keyCollisions.js';
import { isolationRequests, runPrivateIsolation } from './isolation/privateRequests.js';
import { Redis } from 'ioredis';
import { fuzzStoredBytes, hostileRounds } from './fuzz/hostileBytes.js';
import { CLUSTER_PRIMARY_KILLED, FAULTS, ciFaults, faultOperations, runClusterPrimaryKilled, runFault } from './faults/faultMatrix.js';
import { directiveSchemas, fuzzDirectives } from './fuzz/directives.js';
import { createMemoryStore } from '../../src/index.js';
import { createRedisStore } from '../../src/stores/redis/index.js';
import { startRedisServer } from '../helpers/redis.js';

const long = process.argv.includes('--long');
const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
};
// --only <regex>: just the history rows and fault rows whose label matches (written to results/partial.md);
// --ops <n>: at most n operations per row; --only-interleavings: the interleaving explorer alone (minutes, where
// the whole run takes a quarter of an hour), written to results/partial.md.
const onlyInterleavings = process.argv.includes('--only-interleavings');
const only = arg('--only') === undefined ? undefined : new RegExp(arg('--only')!);
const opsCap = Number(arg('--ops') ?? Infinity);
const write = long || process.argv.includes('--write');
const lines: string[] = [];
const out = (line = ''): void => {
  lines.push(line);
  console.log(line);
};

out(`# cachetag reliability results`);
out();
out(
  `Produced by \`npm run reliability${long ? ' -- --long' : ''}${onlyInterleavings ? ' --only-interleavings' : ''}${only ? ` --only '${only.source}'` : ''}${Number.isFinite(opsCap) ? ` --ops ${opsCap}` : ''}\` on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} cores.`,
);
out(`Zero violations in N supports a rate below about 3/N (95 % confidence, the rule of three).`);
out();

/** The interleaving explorer's section; resolves to the violations found. */
async function interleavingSection(): Promise<number> {
  out(`## Interleavings (fill / invalidate race in both tiers, explored deterministically)`);
  out();
  out(`| store | runs | distinct orderings | single-flight joins | reads answered from a stored response | operation fills racing the writer | violations |`);
  out(`| --- | --- | --- | --- | --- | --- | --- |`);
  let violations = 0;
  for (const store of ['memory', 'redis'] as const) {
    const r = await exploreInterleavings({ store, runs: interleavingRuns(long) });
    violations += r.violations;
    out(`| ${store} | ${r.runs} | ${r.orderings} | ${r.joinedFlights} | ${r.storedResponses} | ${r.operationFills} | ${r.violations} |`);
    for (const example of r.examples) out(`  - ${example}`);
  }
  out();
  return violations;
}

if (onlyInterleavings) {
  const violations = await interleavingSection();
  if (write) writeFileSync(new URL('./results/partial.md', import.meta.url), `${lines.join('\n')}\n`);
  process.exit(violations === 0 ? 0 : 1);
}

out(`## History checker (stale reads: a read that began after a write was acknowledged and returned an older version)`);
out();
out(
  `| store and mode | ops | reads | stale reads | bound | foreign PRIVATE | failed responses | invalidations past deadline | fast-path reads | read p50 / p99 ms |`,
);
out(`| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |`);
const results: HistoryResult[] = [];
const cases = historyCases(long)
  .filter((c) => !only || only.test(caseLabel(c)))
  .map((c) => ({ ...c, operations: Math.min(c.operations, opsCap) }));
for (const c of cases) {
  const r = await runHistoryCase(c);
  results.push(r);
  const boundMs = staleBoundMs(c);
  const ages = [...r.staleAgesMs].sort((a, b) => a - b);
  const bound = c.overloaded
    ? 'none (degraded mode)'
    : boundMs !== undefined
      ? `stated ${boundMs} ms from acknowledgement; ${ages.length ? `stale ages p50 ${ages[Math.floor(ages.length / 2)]!.toFixed(0)} / max ${ages.at(-1)!.toFixed(0)} ms` : 'no stale read'}`
      : `< ${ruleOfThree(r.reads)}`;
  const fastPath = c.server ? `${r.operationHits} (operation-tier hits)` : String(r.fastPathReads);
  out(
    `| ${caseLabel(c)} | ${r.operations} | ${r.reads} (item ${r.byKind.item.reads}, nested ${r.byKind.owner.reads}, list ${r.byKind.list.reads}, PRIVATE ${r.byKind.private.reads}) | ${r.stale} | ${bound} | ${r.foreign} | ${r.failed} | ${r.deferredInvalidations} | ${fastPath} | ${r.readP50Ms.toFixed(1)} / ${r.readP99Ms.toFixed(1)} |`,
  );
  for (const example of r.examples) out(`  - ${example}`);
}
const held = results.filter((_, i) => !cases[i]!.overloaded && staleBoundMs(cases[i]!) === undefined);
const reads = held.reduce((sum, r) => sum + r.reads, 0);
const stale = held.reduce((sum, r) => sum + r.stale, 0);
out();
out(
  `Total, invalidations acknowledged within their deadline: stale reads = ${stale} in ${reads} reads (${held.reduce((sum, r) => sum + r.operations, 0)} operations), a rate below ${ruleOfThree(reads)}.`,
);
for (const [i, r] of results.entries()) {
  if (cases[i]!.overloaded) {
    out(
      `Degraded mode (${r.label}): ${r.deferredInvalidations} invalidations missed their deadline (invalidateTimeoutMs, default 2 s; fills keep 250 ms) and were retried; stale reads = ${r.stale} in ${r.reads} reads (the documented degraded mode: see the Redis section of the README).`,
    );
  }
}
out();

let violations = 0;
if (!only) {
  violations = await interleavingSection();

  out(`## PRIVATE isolation (interleaved requests of 5 users and anonymous clients over 3 instances sharing one store)`);
  out();
  out(`| store | requests | cross-user responses | bound | failed | operation-tier hits | field hits |`);
  out(`| --- | --- | --- | --- | --- | --- | --- |`);
  for (const kind of ['memory', 'redis'] as const) {
    const redis = kind === 'redis' ? await startRedisServer() : undefined;
    const store = redis
      ? createRedisStore({ client: new Redis({ host: '127.0.0.1', port: redis.port, lazyConnect: true }), readTimeoutMs: 2000, writeTimeoutMs: 5000 })
      : createMemoryStore();
    if (redis) await (store as ReturnType<typeof createRedisStore>).whenConnected();
    const r = await runPrivateIsolation({ store, instances: 3, requests: isolationRequests(long) });
    await store.close();
    await redis?.stop();
    out(`| ${kind} | ${r.requests} | ${r.crossUser} | < ${ruleOfThree(r.requests)} | ${r.failed} | ${r.operationHits} | ${r.fieldHits} |`);
    for (const example of r.examples) out(`  - ${example}`);
  }
  out();

  out(`## Key collisions (generated request pairs that must not share a key)`);
  out();
  const k = searchKeyCollisions(keyCollisionPairs(long));
  out(`| pairs | distinct requests that collided | identical requests that differed |`);
  out(`| --- | --- | --- |`);
  out(`| ${k.pairs} | ${k.collisions} | ${k.splits} |`);
  for (const example of k.examples) out(`  - ${example}`);
}
out();
out(`## Fault matrix (Redis ×2 through the fault proxy, default deadlines: fault from 1/3 to 2/3 of the run)`);
out();
out(
  `| fault | ops | failed responses | stale reads (before the fault) | documented bound | invalidations past deadline (before the fault) | last stale read after heal | detect | recover | read p99 before / during / after (ms) | server RSS growth |`,
);
out(`| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |`);
const faults = [
  ...FAULTS,
  ...(long
    ? [
        {
          name: CLUSTER_PRIMARY_KILLED,
          expectation: 'stale reads possible in other processes for tags whose invalidation missed invalidateTimeoutMs, until its retry lands',
        },
        RESHARDED,
      ]
    : []),
  REPLICA_PROMOTED,
];
const topology: Record<string, (operations: number) => Promise<HistoryResult>> = {
  [CLUSTER_PRIMARY_KILLED]: runClusterPrimaryKilled,
  [REPLICA_PROMOTED.name]: runReplicaPromoted,
  [RESHARDED.name]: runResharded,
};
for (const fault of faults.filter((f) => (long || ciFaults.includes(f.name)) && (!only || only.test(f.name)))) {
  const operations = Math.min(faultOperations(long), opsCap);
  const runTopology = topology[fault.name];
  const r = runTopology ? await runTopology(operations) : await runFault(fault as (typeof FAULTS)[number], operations);
  const f = r.fault;
  const ms = (value: number | undefined) => (value === undefined ? 'n/a' : `${Math.round(value)} ms`);
  out(
    `| ${fault.name} | ${r.operations} | ${r.failed} | ${r.stale} (${f?.staleBeforeFault ?? 0}) | ${fault.expectation} | ${r.deferredInvalidations} (${f?.deferredBeforeFault ?? 0}) | ${r.stale > 0 ? ms(f?.lastStaleAfterHealMs) : '-'} | ${ms(f?.detectMs)} | ${ms(f?.recoverMs)} | ${f ? `${f.baselineP99Ms.toFixed(0)} / ${f.faultP99Ms.toFixed(0)} / ${f.afterP99Ms.toFixed(0)}` : ''} | ${f ? `${f.memoryGrowthMiB.toFixed(1)} MiB` : ''} |`,
  );
}
if (!only) {
  out();
  out(`## Fuzzing`);
  out();
  out(`| what | inputs | wrong answers | failed responses | hangs | absorbed (a miss each) |`);
  out(`| --- | --- | --- | --- | --- | --- |`);
  for (const kind of ['memory', 'redis'] as const) {
    const redis = kind === 'redis' ? await startRedisServer() : undefined;
    const admin = redis ? new Redis({ host: '127.0.0.1', port: redis.port }) : undefined;
    const store = redis
      ? createRedisStore({
          client: new Redis({ host: '127.0.0.1', port: redis.port, lazyConnect: true }),
          prefix: 'hostile',
          readTimeoutMs: 2000,
          writeTimeoutMs: 5000,
        })
      : createMemoryStore();
    if (redis) await (store as ReturnType<typeof createRedisStore>).whenConnected();
    const r = await fuzzStoredBytes({ store, rounds: hostileRounds(long), ...(admin ? { redis: { admin, prefix: 'hostile' } } : {}) });
    await store.close();
    admin?.disconnect();
    await redis?.stop();
    out(
      `| garbage under stored keys, ${kind} | ${r.corrupted} keys overwritten, ${r.requests} requests | ${r.wrong} | ${r.failed} | ${r.hung} | ${Object.entries(
        r.absorbed,
      )
        .map(([code, n]) => `${code} ${n}`)
        .join(', ')} |`,
    );
    for (const example of r.examples) out(`  - ${example}`);
  }
  const d = await fuzzDirectives(directiveSchemas(long));
  out(
    `| random directive usage | ${d.schemas} schemas: ${d.rejectedByCachetag} CacheTagSchemaError, ${d.built} built, ${d.rejectedByGraphql} rejected by graphql-js | ${d.failures} (errors without a coordinate, crashes, misbehaving builds) | | | |`,
  );
  for (const example of d.examples) out(`  - ${example}`);
}
if (write) writeFileSync(new URL(only ? './results/partial.md' : './results/latest.md', import.meta.url), `${lines.join('\n')}\n`);
process.exit(stale === 0 && violations === 0 ? 0 : 1);
