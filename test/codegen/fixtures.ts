/** Schemas exercising the corners of the codegen plugin, shared by the snapshot, compile and runtime tests. */
import { readFileSync } from 'node:fs';

const federationKey = 'directive @key(fields: String!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE';

export const fixtures = {
  shop: readFileSync(new URL('../../schema-examples/shop/schema.graphql', import.meta.url), 'utf8'),
  articles: readFileSync(new URL('../../schema-examples/articles/schema.graphql', import.meta.url), 'utf8'),

  noDirectives: /* GraphQL */ `
    type Query {
      hello: String
    }
  `,

  compositeKeys: /* GraphQL */ `
    ${federationKey}
    enum Region {
      EU
      US
    }
    type Query {
      variant(sku: String!, region: Region!): Variant @cacheControl(maxAge: 30) @cacheTag(format: "Variant:{$args.sku}:{$args.region}")
      shelf(aisle: Int!, position: Int!): Shelf @cacheControl(maxAge: 30)
    }
    type Variant @key(fields: "sku region") @cacheControl(maxAge: 60) {
      sku: String!
      region: Region!
      price: Float
    }
    type Shelf @cacheKey(fields: "aisle position") @cacheTag(format: "Aisle:{$key.aisle}:shelves") {
      aisle: Int!
      position: Int!
      label: String
    }
  `,

  nestedKeys: /* GraphQL */ `
    ${federationKey}
    type Query {
      membership(orgId: ID!, userId: ID!): Membership @cacheControl(maxAge: 60)
    }
    type Organization {
      id: ID!
    }
    type User {
      id: ID!
    }
    type Membership @key(fields: "organization { id } user { id } role") @cacheTag(format: "Organization:{$key.organization.id}:members") {
      organization: Organization!
      user: User!
      role: String!
    }
  `,

  nestedTemplatePaths: /* GraphQL */ `
    type Query {
      products(filter: ProductFilter!): [Product!]!
        @cacheControl(maxAge: 60)
        @cacheTag(format: "Store:{$args.filter.storeId}:products")
        @cacheTag(format: "Store:{$args.filter.storeId}:category:{$args.filter.category}")
    }
    type Mutation {
      createProduct(input: CreateProductInput!): Product!
        @invalidates(format: "Store:{$args.input.storeId}:products")
        @invalidates(format: "Store:{$result.store.id}:category:{$result.category}")
    }
    input ProductFilter {
      storeId: ID!
      category: String!
    }
    input CreateProductInput {
      storeId: ID!
      name: String!
    }
    type Product {
      id: ID!
      category: String!
      store: Store!
      reviews: [Review!]! @cacheControl(maxAge: 30) @cacheTag(format: "Store:{$parent.store.id}:reviews")
    }
    type Store {
      id: ID!
    }
    type Review {
      id: ID!
    }
  `,

  interfacesAndUnions: /* GraphQL */ `
    interface Node {
      id: ID!
    }
    interface Priced @cacheKey(fields: "sku") {
      sku: String!
      price: Float!
    }
    type Product implements Node {
      id: ID!
      name: String
    }
    type Gift implements Priced {
      sku: String!
      price: Float!
    }
    type Note {
      text: String
    }
    union SearchResult = Product | Gift | Note
    type Query {
      search(q: String!): [SearchResult!]! @cacheControl(maxAge: 10) @cacheTag(format: "Search:{$args.q}")
      node(id: ID!): Node @cacheControl(maxAge: 10)
      priced(sku: String!): Priced @cacheControl(maxAge: 10, scope: PRIVATE)
    }
  `,

  enumsAndLists: /* GraphQL */ `
    enum Category {
      TEA
      COFFEE
    }
    scalar Day
    type Query {
      products(ids: [ID!]!, category: Category): [Product!]!
        @cacheControl(maxAge: 60)
        @cacheTag(format: "Product:{$args.ids}:listed")
        @cacheTag(format: "Category:{$args.category}")
      flagged(flags: [Boolean!]!, limit: Int!, day: Day!): [Product!]!
        @cacheControl(maxAge: 5)
        @cacheTag(format: "Flags:{$args.flags}:{$args.limit}:{$args.day}")
    }
    type Mutation {
      retag(ids: [ID!]!): [Product!]! @invalidates(format: "Product:{$result.id}:tags") @invalidates(format: "Category:{$result.categories}")
    }
    type Product {
      id: ID!
      categories: [Category!]!
    }
  `,

  constantTemplates: /* GraphQL */ `
    type Query {
      catalog: [Product!]! @cacheControl(maxAge: 60) @cacheTag(format: "Catalog")
    }
    type Mutation {
      reindex: Boolean @invalidates(format: "Catalog") @invalidates(format: "Search:all")
    }
    type Product {
      id: ID!
    }
  `,

  escaping: /* GraphQL */ `
    type Query {
      odd(id: ID!): Int @cacheControl(maxAge: 1) @cacheTag(format: "It's \`odd\` \\\\ */ here$:{$args.id}") @cacheTag(format: "Price\${$args.id}")
    }
  `,
};

export type FixtureName = keyof typeof fixtures;
