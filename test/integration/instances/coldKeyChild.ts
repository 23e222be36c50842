/**
 * One server process of coldKeyLeases.test.ts: per round, a cache on the shared Redis (leases on or off, in-process
 * tier or not) and one cached field whose resolver is slow; on "go" it runs `concurrency` requests for the same cold
 * key at once and reports how often its resolver ran.
 */
import { execute, parse } from 'graphql';
import { createCache } from '../../../src/index.js';
import { serveRounds } from './childStore.js';
import { slowOrgSchema } from '../../helpers/slowOrgSchema.js';

const document = parse('{ org(id: "1") { id name } }');

await serveRounds(2000, async (store, { concurrency }) => {
  const cache = createCache({ store, logger: { warn: () => {} } });
  let runs = 0;
  const schema = slowOrgSchema(() => runs++);
  cache.instrumentSchema(schema);
  return {
    async run() {
      const results = await Promise.all(Array.from({ length: concurrency }, () => execute({ schema, document, contextValue: {} })));
      const wrong = results.filter((r) => r.errors !== undefined || (r.data as { org?: { name?: string } })?.org?.name !== 'org 1').length;
      await cache.idle();
      return { runs, wrong };
    },
    close: async () => {},
  };
});
