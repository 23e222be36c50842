/** A shop example wired for tests: counting store, in-process Apollo execution. */
import assert from 'node:assert/strict';
import { createShop, type Shop } from '../../schema-examples/shop/app.js';
import { ShopData } from '../../schema-examples/shop/data.js';
import { createMemoryStore } from '../../src/index.js';
import type { CacheOptions } from '../../src/index.js';
import type { ApolloPluginOptions } from '../../src/apollo/index.js';
import { countingStore } from './countingStore.js';

export interface TestShop extends Shop {
  store: ReturnType<typeof countingStore>;
  /** Runs an operation; fails the test on GraphQL errors unless `allowErrors`. */
  run(query: string, variables?: Record<string, unknown>, options?: { userId?: string; allowErrors?: boolean }): Promise<RunResult>;
}

export interface RunResult {
  data: Record<string, unknown> | null | undefined;
  errors: readonly { message: string }[] | undefined;
  extensions: Record<string, unknown> | undefined;
}

export async function createTestShop(options: { cache?: Partial<CacheOptions>; plugin?: ApolloPluginOptions; latencyMs?: number } = {}): Promise<TestShop> {
  const store = countingStore(createMemoryStore());
  const db = new ShopData({ latencyMs: options.latencyMs ?? 0 });
  const shop = await createShop({ db, cache: { store, strict: true, ...options.cache }, plugin: { debug: true, operationCache: false, ...options.plugin } });
  return {
    ...shop,
    store,
    async run(query, variables, runOptions = {}) {
      const response = await shop.apollo.executeOperation(
        { query, ...(variables ? { variables } : {}) },
        { contextValue: { db, ...(runOptions.userId ? { userId: runOptions.userId } : {}) } },
      );
      assert.equal(response.body.kind, 'single');
      const result = (response.body as { singleResult: RunResult }).singleResult;
      if (!runOptions.allowErrors) assert.equal(result.errors, undefined, `unexpected GraphQL errors: ${JSON.stringify(result.errors)}`);
      return result;
    },
  };
}

/** The debug records of a response, as `coordinate:outcome[:reason]` strings sorted by response path. */
export function outcomes(result: RunResult): string[] {
  const fields =
    (result.extensions?.cachetag as { fields?: { path: string; coordinate: string; outcome: string; reason?: string }[] } | undefined)?.fields ?? [];
  return [...fields]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((f) => `${f.coordinate}:${f.outcome}${f.reason ? `:${f.reason}` : ''}`);
}
