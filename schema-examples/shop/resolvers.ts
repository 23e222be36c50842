/**
 * The shop's resolvers: plain data-layer calls, typed by the resolver types
 * graphql-codegen generates from the schema (`npm run codegen`). Caching is
 * entirely the plugin's business.
 */
import type { ProductRow, ShopData } from './data.js';
import type { Resolvers } from './generated/resolvers-types.js';

export interface ShopContext {
  db: ShopData;
  /** The signed-in customer, from the `x-user-id` header. */
  userId?: string;
}

/** GraphQL input fields may be null; the data layer takes absent for "unchanged". */
const present = <T extends object>(input: T) =>
  Object.fromEntries(Object.entries(input).filter(([, value]) => value != null)) as { [K in keyof T]?: NonNullable<T[K]> };

export const resolvers: Resolvers = {
  Query: {
    organization: (_, { id }, { db }) => db.organization(id),
    store: (_, { id }, { db }) => db.store(id),
    product: (_, { id }, { db }) => db.product(id),
    products: (_, { storeId, category }, { db }) => db.products(storeId, category),
    me: (_, __, { db, userId }) => (userId ? db.customer(userId) : null),
  },
  Mutation: {
    updateProduct: (_, { id, input }, { db }) => db.updateProduct(id, present(input)),
    createProduct: (_, { input }, { db }) => db.createProduct(input),
    createReview: (_, { productId, input }, { db }) => db.createReview(productId, input),
    updateStore: (_, { id, input }, { db }) => db.updateStore(id, input),
    updateOrganization: (_, { id, input }, { db }) => db.updateOrganization(id, input),
  },
  Organization: { stores: (org, _, { db }) => db.storesOfOrganization(org.id) },
  Store: {
    // The schema says non-null: a store always has its organization in this data set.
    organization: async (store, _, { db }) => (await db.organization(store.organizationId))!,
    products: (store, { category }, { db }) => db.products(store.id, category),
  },
  Product: {
    store: async (product, _, { db }) => (await db.store(product.storeId))!,
    reviews: (product, _, { db }) => db.reviewsOfProduct(product.id),
    averageRating: async (product, _, { db }) => {
      const reviews = await db.reviewsOfProduct(product.id);
      return reviews.length ? reviews.reduce((sum, r) => sum + r.rating, 0) / reviews.length : null;
    },
  },
  Review: { product: async (review, _, { db }) => (await db.product(review.productId))! },
  Customer: {
    favoriteProducts: async (customer, _, { db }) =>
      (await Promise.all(customer.favoriteProductIds.map((id) => db.product(id)))).filter((p): p is ProductRow => p !== null),
  },
};
