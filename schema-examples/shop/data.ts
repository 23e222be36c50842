/**
 * The shop's data layer: an in-memory database that counts every call, so the
 * example, the demo and the tests can show exactly what the cache saved.
 * It returns plain copies, as a real database driver would.
 */

export interface OrganizationRow {
  id: string;
  name: string;
}
export interface StoreRow {
  id: string;
  name: string;
  organizationId: string;
}
export interface ProductRow {
  id: string;
  name: string;
  price: number;
  category: string;
  storeId: string;
}
export interface ReviewRow {
  id: string;
  productId: string;
  rating: number;
  body: string;
}
export interface CustomerRow {
  id: string;
  name: string;
  favoriteProductIds: string[];
}

export interface ShopDataOptions {
  /** Simulated latency of every call, in milliseconds. Default 0. */
  latencyMs?: number;
}

/** The shop database. `calls` counts calls per method; `totalCalls` sums them. */
export class ShopData {
  readonly calls: Record<string, number> = {};
  latencyMs: number;
  /** When set, called (and awaited) inside every read after the row is read: tests use it to hold a read open. */
  onRead?: (method: string) => Promise<void> | void;
  readonly #organizations = new Map<string, OrganizationRow>();
  readonly #stores = new Map<string, StoreRow>();
  readonly #products = new Map<string, ProductRow>();
  readonly #reviews = new Map<string, ReviewRow>();
  readonly #customers = new Map<string, CustomerRow>();
  #nextId = 1000;

  constructor(options: ShopDataOptions = {}) {
    this.latencyMs = options.latencyMs ?? 0;
    this.#organizations.set('1', { id: '1', name: 'Acme' });
    this.#organizations.set('2', { id: '2', name: 'Globex' });
    this.#stores.set('1', { id: '1', name: 'Acme Downtown', organizationId: '1' });
    this.#stores.set('2', { id: '2', name: 'Acme Airport', organizationId: '1' });
    this.#stores.set('3', { id: '3', name: 'Globex Central', organizationId: '2' });
    const categories = ['tea', 'coffee', 'cocoa'];
    for (let i = 40; i < 52; i++) {
      const storeId = String((i % 3) + 1);
      this.#products.set(String(i), { id: String(i), name: `Product ${i}`, price: 5 + (i % 7), category: categories[i % 3]!, storeId });
    }
    let reviewId = 1;
    for (const product of this.#products.values()) {
      for (let r = 0; r < 2; r++) {
        const id = String(reviewId++);
        this.#reviews.set(id, { id, productId: product.id, rating: 3 + (r % 3), body: `Review ${id} of ${product.name}` });
      }
    }
    this.#customers.set('alice', { id: 'alice', name: 'Alice', favoriteProductIds: ['42'] });
    this.#customers.set('bob', { id: 'bob', name: 'Bob', favoriteProductIds: ['43', '44'] });
  }

  get totalCalls(): number {
    return Object.values(this.calls).reduce((a, b) => a + b, 0);
  }

  resetCalls(): void {
    for (const key of Object.keys(this.calls)) delete this.calls[key];
  }

  async #read<T>(method: string, read: () => T): Promise<T> {
    this.calls[method] = (this.calls[method] ?? 0) + 1;
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    const value = structuredClone(read());
    await this.onRead?.(method);
    return value;
  }

  async #write<T>(method: string, write: () => T): Promise<T> {
    this.calls[method] = (this.calls[method] ?? 0) + 1;
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    return structuredClone(write());
  }

  organization(id: string) {
    return this.#read('organization', () => this.#organizations.get(id) ?? null);
  }
  storesOfOrganization(organizationId: string) {
    return this.#read('storesOfOrganization', () => [...this.#stores.values()].filter((s) => s.organizationId === organizationId));
  }
  store(id: string) {
    return this.#read('store', () => this.#stores.get(id) ?? null);
  }
  product(id: string) {
    return this.#read('product', () => this.#products.get(id) ?? null);
  }
  products(storeId: string, category?: string | null) {
    return this.#read('products', () => [...this.#products.values()].filter((p) => p.storeId === storeId && (category == null || p.category === category)));
  }
  reviewsOfProduct(productId: string) {
    return this.#read('reviewsOfProduct', () => [...this.#reviews.values()].filter((r) => r.productId === productId));
  }
  customer(id: string) {
    return this.#read('customer', () => this.#customers.get(id) ?? null);
  }

  updateProduct(id: string, input: Partial<Pick<ProductRow, 'name' | 'price' | 'category'>>) {
    return this.#write('updateProduct', () => {
      const row = this.#products.get(id);
      if (!row) return null;
      for (const [key, value] of Object.entries(input)) if (value !== undefined && value !== null) (row as unknown as Record<string, unknown>)[key] = value;
      return row;
    });
  }
  createProduct(input: Omit<ProductRow, 'id'>) {
    return this.#write('createProduct', () => {
      const row = { id: String(this.#nextId++), ...input };
      this.#products.set(row.id, row);
      return row;
    });
  }
  createReview(productId: string, input: Pick<ReviewRow, 'rating' | 'body'>) {
    return this.#write('createReview', () => {
      const row = { id: String(this.#nextId++), productId, ...input };
      this.#reviews.set(row.id, row);
      return row;
    });
  }
  updateStore(id: string, input: { name?: string | null }) {
    return this.#write('updateStore', () => {
      const row = this.#stores.get(id);
      if (!row) return null;
      if (input.name != null) row.name = input.name;
      return row;
    });
  }
  updateOrganization(id: string, input: { name?: string | null }) {
    return this.#write('updateOrganization', () => {
      const row = this.#organizations.get(id);
      if (!row) return null;
      if (input.name != null) row.name = input.name;
      return row;
    });
  }
}
