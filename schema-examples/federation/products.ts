/**
 * The products subgraph: owns `Product` (name, price). Its entity resolution (`Product.__resolveReference`, what the
 * gateway calls for every product another subgraph mentions) is cached per product by cachetag, and `setPrice`
 * invalidates `Product:<id>` everywhere the product was cached, in either subgraph.
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';

export const productsTypeDefs = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.12", import: ["@key"])

  enum CacheControlScope {
    PUBLIC
    PRIVATE
  }
  directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
  # cachetag's own @cacheTag, not Federation's: @apollo/gateway refuses a supergraph that uses Federation's (see README).
  directive @cacheTag(format: String!) repeatable on FIELD_DEFINITION | OBJECT

  type Product @key(fields: "id") @cacheControl(maxAge: 60) {
    id: ID!
    name: String!
    price: Int!
  }

  type Query {
    topProducts: [Product!]! @cacheControl(maxAge: 60) @cacheTag(format: "products")
  }

  type Mutation {
    setPrice(id: ID!, price: Int!): Product
  }
`;

export interface ProductRow {
  id: string;
  name: string;
  price: number;
}

/** What the products subgraph's resolvers ran, for tests and the demo. */
export interface ProductsCalls {
  topProducts: number;
  /** The ids `Product.__resolveReference` was called with. */
  resolveReference: string[];
}

export function createProductsSchema(rows: Map<string, ProductRow> = defaultProducts(), calls: ProductsCalls = { topProducts: 0, resolveReference: [] }) {
  return buildSubgraphSchema({
    typeDefs: parse(productsTypeDefs),
    resolvers: {
      Query: {
        topProducts() {
          calls.topProducts++;
          return [...rows.values()].map((row) => ({ ...row }));
        },
      },
      Product: {
        __resolveReference(reference: { id: string }) {
          calls.resolveReference.push(reference.id);
          const row = rows.get(reference.id);
          return row ? { ...row } : null;
        },
      },
      Mutation: {
        setPrice(_: unknown, { id, price }: { id: string; price: number }) {
          const row = rows.get(id);
          if (!row) return null;
          row.price = price;
          return { ...row };
        },
      },
    },
  });
}

export function defaultProducts(): Map<string, ProductRow> {
  return new Map(
    [
      { id: '1', name: 'Table', price: 100 },
      { id: '2', name: 'Chair', price: 50 },
      { id: '3', name: 'Lamp', price: 20 },
    ].map((row) => [row.id, row]),
  );
}
