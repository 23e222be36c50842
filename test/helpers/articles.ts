import assert from 'node:assert/strict';
import { createArticlesServer } from '../../schema-examples/articles/app.js';
import { ArticleData } from '../../schema-examples/articles/data.js';
import { createMemoryStore } from '../../src/index.js';
import { countingStore } from './countingStore.js';
import type { RunResult } from './shop.js';

export async function createTestArticles(options: { seed?: boolean; operationCache?: boolean; booleansAsNumbers?: boolean } = {}) {
  const warnings: string[] = [];
  const store = countingStore(createMemoryStore({ maxEntries: 100_000 }));
  const server = await createArticlesServer({
    db: new ArticleData(options.seed ?? true, { booleansAsNumbers: options.booleansAsNumbers ?? false }),
    cache: { store, strict: true, logger: { warn: (m) => warnings.push(m) } },
    ...(options.operationCache === undefined ? {} : { plugin: { operationCache: options.operationCache } }),
  });
  return {
    ...server,
    store,
    warnings,
    async run(query: string, variables?: Record<string, unknown>): Promise<RunResult> {
      const response = await server.apollo.executeOperation({ query, ...(variables ? { variables } : {}) }, { contextValue: { db: server.db } });
      const result = (response.body as { singleResult: RunResult }).singleResult;
      assert.equal(result.errors, undefined, JSON.stringify(result.errors));
      await server.cache.idle();
      return result;
    },
  };
}
