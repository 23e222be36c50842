/**
 * `npm run codegen`: resolver types and cache tag helpers for the shop
 * example, checked in CI by `.ci/check-codegen`.
 *
 * Users write `plugins: ['cachetag/codegen']`, which graphql-codegen resolves
 * through the installed package's exports to compiled JavaScript. Inside this
 * repository the plugin is loaded from its TypeScript sources by path
 * instead: graphql-codegen `import()`s plugins with plain Node, which cannot
 * load `.ts`, so `pluginLoader` goes through tsx (a devDependency).
 */
import type { CodegenConfig } from '@graphql-codegen/cli';
import { tsImport } from 'tsx/esm/api';
import { cacheDirectivesTypeDefs } from './src/directives/sdl.js';

const config: CodegenConfig = {
  // The directives declared as the server declares them (Apollo: typeDefs: [cacheDirectivesTypeDefs, ...]).
  schema: [cacheDirectivesTypeDefs, 'schema-examples/shop/schema.graphql'],
  pluginLoader: (name: string) => tsImport(name, import.meta.url),
  generates: {
    'schema-examples/shop/generated/resolvers-types.ts': {
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        contextType: '../resolvers.js#ShopContext',
        mappers: {
          Organization: '../data.js#OrganizationRow',
          Store: '../data.js#StoreRow',
          Product: '../data.js#ProductRow',
          Review: '../data.js#ReviewRow',
          Customer: '../data.js#CustomerRow',
        },
      },
    },
    'schema-examples/shop/generated/cache-tags.ts': {
      plugins: ['./src/codegen/index.ts'],
      // Users keep the default, 'cachetag'; the package cannot import itself by name before it is built.
      config: { importFrom: '../../../src/index.js' },
    },
  },
};

export default config;
