/**
 * Fastify + Mercurius + mercurius-cache, set up as mercurius-cache documents:
 * a policy per resolver that loads data, each cached entry labelled with
 * `references` (`product:42`, `store:7`…), and mutations that `invalidate`
 * the references they touch. mercurius-cache caches resolver results, not
 * whole responses, so the nested resolvers get policies too; otherwise every
 * request would still reach the data source for them.
 */
import Fastify, { type FastifyPluginAsync } from 'fastify';
import mercurius from 'mercurius';
import mercuriusCacheModule, { type MercuriusCacheOptions } from 'mercurius-cache';
import type { OrganizationRecord, ProductRecord, ReviewRecord, StoreRecord } from '../../dataSource.js';
import { createBenchContext, maxAgeSeconds, peerDirectiveTypeDefs, resolvers, typeDefs } from '../../schema.js';
import { exitCleanlyOnShutdown, type ContenderRuntime } from './serve.js';

// mercurius-cache is CommonJS with an `export default` declaration; under NodeNext the default import is module.exports, which is the plugin.
const mercuriusCache = mercuriusCacheModule as unknown as FastifyPluginAsync<MercuriusCacheOptions>;

interface ReferenceArgs<Parent = unknown, Args = Record<string, unknown>> {
  self: Parent;
  arg: Args;
}

type Entity = { id: string } | null | undefined;

const entityRefs = (label: string) => (_: ReferenceArgs, _key: string, result: Entity | Entity[]) =>
  (Array.isArray(result) ? result : [result]).flatMap((entity) => (entity ? [`${label}:${entity.id}`] : []));

/** The cache policy: which resolvers are cached, what each entry references, what each mutation invalidates. */
export const mercuriusPolicy: MercuriusCacheOptions['policy'] = {
  Query: {
    product: { references: entityRefs('product') },
    store: { references: entityRefs('store') },
    organization: { references: entityRefs('organization') },
    products: {
      references: ({ arg }: ReferenceArgs<unknown, { storeId: string }>, _key: string, result: ProductRecord[]) => [
        `store:${arg.storeId}:products`,
        ...result.map((product) => `product:${product.id}`),
      ],
    },
  },
  Organization: {
    stores: {
      references: (args: ReferenceArgs<OrganizationRecord>, key: string, result: StoreRecord[]) => [
        `organization:${args.self.id}`,
        ...entityRefs('store')(args, key, result),
      ],
    },
  },
  Store: {
    organization: { references: entityRefs('organization') },
    products: {
      references: ({ self }: ReferenceArgs<StoreRecord>, _key: string, result: ProductRecord[]) => [
        `store:${self.id}:products`,
        ...result.map((product) => `product:${product.id}`),
      ],
    },
  },
  Product: {
    store: { references: entityRefs('store') },
    reviews: {
      references: ({ self }: ReferenceArgs<ProductRecord>, _key: string, result: ReviewRecord[]) => [
        `product:${self.id}`,
        ...result.map((review) => `review:${review.id}`),
      ],
    },
  },
  Review: {
    product: { references: entityRefs('product') },
  },
  Mutation: {
    updateProduct: { invalidate: (_self: unknown, arg: { id: string }) => [`product:${arg.id}`] },
    createReview: { invalidate: (_self: unknown, arg: { productId: string }) => [`product:${arg.productId}`] },
  },
};

export interface MercuriusContenderOptions {
  readonly storage: NonNullable<MercuriusCacheOptions['storage']>;
  readonly close?: () => Promise<void>;
}

export async function serveMercurius(runtime: ContenderRuntime, options: MercuriusContenderOptions): Promise<void> {
  const app = Fastify({ logger: false });
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.url.startsWith('/graphql')) runtime.countRequest();
    done();
  });
  app.get('/stats', async () => runtime.stats());
  app.post('/reset-stats', async () => {
    runtime.resetStats();
    return runtime.stats();
  });

  await app.register(mercurius, {
    schema: `${peerDirectiveTypeDefs}\n${typeDefs}`,
    resolvers: resolvers as unknown as mercurius.IResolvers,
    context: () => createBenchContext(runtime.dataSource),
    graphiql: false,
    path: '/graphql',
  });
  await app.register(mercuriusCache, {
    ttl: maxAgeSeconds,
    storage: options.storage,
    policy: mercuriusPolicy,
    onError: (type: string, fieldName: string, error: unknown) => console.error(`mercurius-cache error on ${type}.${fieldName}`, error),
  });

  await app.listen({ port: runtime.port, host: '127.0.0.1' });
  exitCleanlyOnShutdown(async () => {
    await app.close();
    await options.close?.();
  });
  console.log(`${runtime.name} listening on http://127.0.0.1:${runtime.port}/graphql`);
}
