/**
 * Invalidation for writes that happen outside GraphQL (an admin tool, a
 * webhook, a nightly import), with the tag builders generated from the
 * schema by `npm run codegen`: no hand-written tag strings, so a renamed type
 * or a changed `@cacheTag` breaks `npm run typecheck` here instead of
 * silently invalidating nothing.
 */
import type { Cache } from '../../src/index.js';
import { createTypedInvalidate, tags, tagTemplates } from './generated/cache-tags.js';

export interface ShopInvalidation {
  /** A product changed: every cached result holding it, and its reviews (`Product:<id>:reviews` is below `Product:<id>`). */
  product(id: string): Promise<void>;
  /** A store's assortment changed: its cached product lists (`Query.products(storeId:)` and `Store.products`). */
  storeProducts(storeId: string): Promise<void>;
  /** Reviews of a product were imported: its review lists and average rating, not the product itself. */
  productReviews(productId: string): Promise<void>;
  /** Prices were reloaded: every product. */
  allProducts(): Promise<void>;
}

export function createShopInvalidation(cache: Cache): ShopInvalidation {
  const invalidate = createTypedInvalidate(cache);
  return {
    product: (id) => invalidate(tags.Product({ id })),
    storeProducts: (storeId) => invalidate(tagTemplates['Store:{$args.storeId}:products']({ $args: { storeId } })),
    productReviews: (productId) => invalidate(tagTemplates['Product:{$parent.id}:reviews']({ $parent: { id: productId } })),
    allProducts: () => invalidate(tags.Product.all()),
  };
}
