/** Builds the articles example: an Apollo Server with the cachetag plugin. */
import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { cacheDirectivesTypeDefs, createCache, type Cache, type CacheOptions } from '../../src/index.js';
import { createApolloPlugin, type ApolloPluginOptions } from '../../src/apollo/index.js';
import { ArticleData } from './data.js';
import { resolvers, type ArticleContext } from './resolvers.js';

export const articlesTypeDefs = readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8');

export async function createArticlesServer(options: { db?: ArticleData; cache?: Partial<CacheOptions>; plugin?: ApolloPluginOptions } = {}): Promise<{
  db: ArticleData;
  cache: Cache;
  apollo: ApolloServer<ArticleContext>;
}> {
  const db = options.db ?? new ArticleData();
  const cache = createCache(options.cache);
  const apollo = new ApolloServer<ArticleContext>({
    typeDefs: [cacheDirectivesTypeDefs, articlesTypeDefs],
    resolvers,
    plugins: [createApolloPlugin(cache, { debug: true, ...options.plugin })],
  });
  await apollo.start();
  return { db, cache, apollo };
}
