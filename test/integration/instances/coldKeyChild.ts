/**
 * One server process of coldKeyLeases.test.ts: a cache on the shared Redis (leases on or off, in-process tier or
 * not), one cached field whose resolver is slow; on "go" it runs `concurrency` requests for the same cold key at
 * once and reports how often its resolver ran.
 * argv: port prefix leases(0|1) local(none|strict|fast) concurrency
 */
import { createInterface } from 'node:readline';
import { execute, parse } from 'graphql';
import { createCache } from '../../../src/index.js';
import { openChildStore } from './childStore.js';
import { slowOrgSchema } from '../../helpers/slowOrgSchema.js';

const { store, concurrency } = await openChildStore(2000);
const cache = createCache({ store, logger: { warn: () => {} } });
let runs = 0;
const schema = slowOrgSchema(() => runs++);
cache.instrumentSchema(schema);
const document = parse('{ org(id: "1") { id name } }');

const say = (message: object): void => void process.stdout.write(`${JSON.stringify(message)}\n`);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
say({ event: 'ready' });
while ((await lines.next()).value !== 'go');
const results = await Promise.all(Array.from({ length: concurrency }, () => execute({ schema, document, contextValue: {} })));
const wrong = results.filter((r) => r.errors !== undefined || (r.data as { org?: { name?: string } })?.org?.name !== 'org 1').length;
await cache.idle();
say({ event: 'done', runs, wrong });
await store.close();
process.exit(0);
