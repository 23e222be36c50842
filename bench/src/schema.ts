/**
 * The one schema every contender serves, and its resolvers.
 *
 * The SDL carries the hints of every cache at once: Apollo's `@cacheControl`
 * (read by Apollo's response cache, by envelop's response cache, and by
 * cachetag) and cachetag's `@cacheTag` / `@invalidates`. Peers do not know
 * cachetag's directives, so they get {@link peerDirectiveTypeDefs}, which
 * declares them as no-ops; cachetag gets its own `cacheDirectivesTypeDefs`.
 */
import {
  createLoaders,
  productsByStoreKey,
  type CreateReviewInput,
  type DataSource,
  type Loaders,
  type OrganizationRecord,
  type ProductRecord,
  type ReviewRecord,
  type StoreRecord,
  type UpdateProductInput,
} from './dataSource.js';

/** How long every type may be cached, in seconds: far longer than a run, so only invalidation keeps data fresh. */
export const maxAgeSeconds = 60;

/** The schema proper, shared by all contenders. */
export const typeDefs = /* GraphQL */ `
  type Query {
    product(id: ID!): Product
    store(id: ID!): Store
    products(storeId: ID!, category: String): [Product!]! @cacheTag(format: "Store:{$args.storeId}:products")
    organization(id: ID!): Organization
  }

  type Mutation {
    updateProduct(id: ID!, input: UpdateProductInput!): Product @invalidates(format: "Product:{$args.id}")
    createReview(productId: ID!, input: CreateReviewInput!): Review @invalidates(format: "Product:{$args.productId}")
  }

  input UpdateProductInput {
    name: String
    price: Float
    stock: Int
  }

  input CreateReviewInput {
    rating: Int!
    body: String!
    author: String!
  }

  type Organization @cacheControl(maxAge: ${maxAgeSeconds}) {
    id: ID!
    name: String!
    stores: [Store!]!
  }

  type Store @cacheControl(maxAge: ${maxAgeSeconds}) {
    id: ID!
    name: String!
    organization: Organization!
    products(category: String): [Product!]!
  }

  type Product @cacheControl(maxAge: ${maxAgeSeconds}) {
    id: ID!
    name: String!
    price: Float!
    category: String!
    stock: Int!
    reviewCount: Int!
    averageRating: Float
    store: Store!
    reviews(first: Int = 5): [Review!]!
  }

  type Review @cacheControl(maxAge: ${maxAgeSeconds}) {
    id: ID!
    rating: Int!
    body: String!
    author: String!
    product: Product!
  }
`;

/**
 * Declarations for the peers: Apollo's `@cacheControl` exactly as Apollo
 * documents it, and cachetag's directives as no-ops so the shared SDL builds.
 */
export const peerDirectiveTypeDefs = /* GraphQL */ `
  enum CacheControlScope {
    PUBLIC
    PRIVATE
  }

  directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
  directive @cacheTag(format: String!) repeatable on FIELD_DEFINITION | OBJECT
  directive @invalidates(format: String!) repeatable on FIELD_DEFINITION
`;

/** Only Apollo's `@cacheControl` declaration, for a cachetag build whose directives do not declare it. */
export const cacheControlTypeDefs = /* GraphQL */ `
  enum CacheControlScope {
    PUBLIC
    PRIVATE
  }

  directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
`;

/** What every resolver needs; frameworks add their own fields beside it. */
export interface BenchContext {
  readonly dataSource: DataSource;
  readonly loaders: Loaders;
}

/** A fresh context for one request. */
export function createBenchContext(dataSource: DataSource): BenchContext {
  return { dataSource, loaders: createLoaders(dataSource) };
}

/** The resolver map, the same for every contender. */
export const resolvers = {
  Query: {
    product: (_: unknown, { id }: { id: string }, { loaders }: BenchContext) => loaders.product.load(id),
    store: (_: unknown, { id }: { id: string }, { loaders }: BenchContext) => loaders.store.load(id),
    products: (_: unknown, { storeId, category }: { storeId: string; category?: string | null }, { loaders }: BenchContext) =>
      loaders.productsByStore.load(productsByStoreKey(storeId, category)),
    organization: (_: unknown, { id }: { id: string }, { loaders }: BenchContext) => loaders.organization.load(id),
  },
  Mutation: {
    updateProduct: (_: unknown, { id, input }: { id: string; input: UpdateProductInput }, { dataSource }: BenchContext) => dataSource.updateProduct(id, input),
    createReview: (_: unknown, { productId, input }: { productId: string; input: CreateReviewInput }, { dataSource }: BenchContext) =>
      dataSource.createReview(productId, input),
  },
  Organization: {
    stores: (organization: OrganizationRecord, _: unknown, { loaders }: BenchContext) => loaders.storesByOrganization.load(organization.id),
  },
  Store: {
    organization: (store: StoreRecord, _: unknown, { loaders }: BenchContext) => loaders.organization.load(store.organizationId),
    products: (store: StoreRecord, { category }: { category?: string | null }, { loaders }: BenchContext) =>
      loaders.productsByStore.load(productsByStoreKey(store.id, category)),
  },
  Product: {
    averageRating: (product: ProductRecord) => (product.reviewCount === 0 ? null : Math.round((product.ratingTotal / product.reviewCount) * 100) / 100),
    store: (product: ProductRecord, _: unknown, { loaders }: BenchContext) => loaders.store.load(product.storeId),
    reviews: async (product: ProductRecord, { first }: { first?: number | null }, { loaders }: BenchContext) =>
      (await loaders.reviewsByProduct.load(product.id)).slice(0, Math.max(0, first ?? 5)),
  },
  Review: {
    product: (review: ReviewRecord, _: unknown, { loaders }: BenchContext) => loaders.product.load(review.productId),
  },
};
