/**
 * The reviews subgraph: owns `Review` and adds `Product.reviews`. `Product.reviews` is cached per product (its entry
 * is tagged `Product:<id>`, so a price change in the products subgraph invalidates it too), and `addReview`
 * invalidates the product's tag and the `reviews` list tag.
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';

export const reviewsTypeDefs = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.12", import: ["@key"])

  enum CacheControlScope {
    PUBLIC
    PRIVATE
  }
  directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
  # cachetag's own @cacheTag, not Federation's: @apollo/gateway refuses a supergraph that uses Federation's (see README).
  directive @cacheTag(format: String!) repeatable on FIELD_DEFINITION | OBJECT
  directive @invalidates(format: String!) repeatable on FIELD_DEFINITION

  type Product @key(fields: "id") {
    id: ID!
    reviews: [Review!]! @cacheControl(maxAge: 60)
  }

  type Review @key(fields: "id") @cacheControl(maxAge: 60) {
    id: ID!
    body: String!
    product: Product!
  }

  type Query {
    latestReviews: [Review!]! @cacheControl(maxAge: 60) @cacheTag(format: "reviews")
  }

  type Mutation {
    addReview(productId: ID!, body: String!): Review @invalidates(format: "Product:{$args.productId}") @invalidates(format: "reviews")
  }
`;

export interface ReviewRow {
  id: string;
  productId: string;
  body: string;
}

/** What the reviews subgraph's resolvers ran. */
export interface ReviewsCalls {
  latestReviews: number;
  /** The product ids `Product.reviews` ran for. */
  reviewsOf: string[];
}

export function createReviewsSchema(rows: ReviewRow[] = defaultReviews(), calls: ReviewsCalls = { latestReviews: 0, reviewsOf: [] }) {
  return buildSubgraphSchema({
    typeDefs: parse(reviewsTypeDefs),
    resolvers: {
      Query: {
        latestReviews() {
          calls.latestReviews++;
          return rows.slice(-5).map((row) => ({ ...row }));
        },
      },
      Product: {
        reviews(product: { id: string }) {
          calls.reviewsOf.push(product.id);
          return rows.filter((row) => row.productId === product.id).map((row) => ({ ...row }));
        },
      },
      Review: {
        product: (review: ReviewRow) => ({ __typename: 'Product', id: review.productId }),
      },
      Mutation: {
        addReview(_: unknown, { productId, body }: { productId: string; body: string }) {
          const row = { id: `r${rows.length + 1}`, productId, body };
          rows.push(row);
          return { ...row };
        },
      },
    },
  });
}

export function defaultReviews(): ReviewRow[] {
  return [
    { id: 'r1', productId: '1', body: 'Sturdy' },
    { id: 'r2', productId: '1', body: 'Heavy' },
    { id: 'r3', productId: '2', body: 'Comfy' },
  ];
}
