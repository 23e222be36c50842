/** The GraphQL documents the workloads send, written as a client would. */

/** A product page: the product, its store and organization, its latest reviews. */
export const productPageQuery = /* GraphQL */ `
  query ProductPage($id: ID!) {
    product(id: $id) {
      id
      name
      price
      category
      stock
      reviewCount
      averageRating
      store {
        id
        name
        organization {
          id
          name
        }
      }
      reviews(first: 5) {
        id
        rating
        body
        author
      }
    }
  }
`;

/** A catalogue page: a store's products in one category, each with its top reviews. */
export const catalogPageQuery = /* GraphQL */ `
  query CatalogPage($storeId: ID!, $category: String) {
    products(storeId: $storeId, category: $category) {
      id
      name
      price
      category
      reviewCount
      averageRating
      reviews(first: 3) {
        id
        rating
        author
      }
    }
  }
`;

export const updateProductMutation = /* GraphQL */ `
  mutation UpdateProduct($id: ID!, $input: UpdateProductInput!) {
    updateProduct(id: $id, input: $input) {
      id
      price
    }
  }
`;

/** Selects the review's product, as a client refreshing the product's review count would; entity-based caches invalidate by it. */
export const createReviewMutation = /* GraphQL */ `
  mutation CreateReview($productId: ID!, $input: CreateReviewInput!) {
    createReview(productId: $productId, input: $input) {
      id
      rating
      product {
        id
        reviewCount
      }
    }
  }
`;

/** Shapes of the answers the read-your-write checks look at. */
export interface ProductPageData {
  product: {
    id: string;
    price: number;
    category: string;
    reviewCount: number;
    store: { id: string };
    reviews: { id: string }[];
  } | null;
}

export interface CatalogPageData {
  products: { id: string; price: number; reviews: { id: string }[] }[];
}

/** The JSON body of a GraphQL POST. */
export function graphqlBody(query: string, variables: object): string {
  return JSON.stringify({ query, variables });
}
