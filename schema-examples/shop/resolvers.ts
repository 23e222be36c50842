/** The shop's resolvers: plain data-layer calls; caching is entirely the plugin's business. */
import type { ShopData } from './data.js';

export interface ShopContext {
  db: ShopData;
  /** The signed-in customer, from the `x-user-id` header. */
  userId?: string;
}

type Args = Record<string, unknown>;
const id = (args: Args, name = 'id') => String(args[name]);

export const resolvers = {
  Query: {
    organization: (_: unknown, args: Args, { db }: ShopContext) => db.organization(id(args)),
    store: (_: unknown, args: Args, { db }: ShopContext) => db.store(id(args)),
    product: (_: unknown, args: Args, { db }: ShopContext) => db.product(id(args)),
    products: (_: unknown, args: Args, { db }: ShopContext) => db.products(id(args, 'storeId'), args.category as string | undefined),
    me: (_: unknown, __: Args, { db, userId }: ShopContext) => (userId ? db.customer(userId) : null),
  },
  Mutation: {
    updateProduct: (_: unknown, args: Args, { db }: ShopContext) => db.updateProduct(id(args), args.input as object),
    createProduct: (_: unknown, args: Args, { db }: ShopContext) => db.createProduct(args.input as never),
    createReview: (_: unknown, args: Args, { db }: ShopContext) => db.createReview(id(args, 'productId'), args.input as never),
    updateStore: (_: unknown, args: Args, { db }: ShopContext) => db.updateStore(id(args), args.input as object),
    updateOrganization: (_: unknown, args: Args, { db }: ShopContext) => db.updateOrganization(id(args), args.input as object),
  },
  Organization: {
    stores: (org: { id: string }, _: Args, { db }: ShopContext) => db.storesOfOrganization(org.id),
  },
  Store: {
    organization: (store: { organizationId: string }, _: Args, { db }: ShopContext) => db.organization(store.organizationId),
    products: (store: { id: string }, args: Args, { db }: ShopContext) => db.products(store.id, args.category as string | undefined),
  },
  Product: {
    store: (product: { storeId: string }, _: Args, { db }: ShopContext) => db.store(product.storeId),
    reviews: (product: { id: string }, _: Args, { db }: ShopContext) => db.reviewsOfProduct(product.id),
    averageRating: async (product: { id: string }, _: Args, { db }: ShopContext) => {
      const reviews = await db.reviewsOfProduct(product.id);
      return reviews.length ? reviews.reduce((sum, r) => sum + r.rating, 0) / reviews.length : null;
    },
  },
  Review: {
    product: (review: { productId: string }, _: Args, { db }: ShopContext) => db.product(review.productId),
  },
  Customer: {
    favoriteProducts: async (customer: { favoriteProductIds: string[] }, _: Args, { db }: ShopContext) =>
      (await Promise.all(customer.favoriteProductIds.map((pid) => db.product(pid)))).filter(Boolean),
  },
};
