/**
 * Keys that dynamic cache hints narrowed: a key whose resolver said PRIVATE is looked up per session from then on,
 * one that said maxAge 0 is not cached, instead of being filled again for everyone. Bounded: past `limit` keys
 * the oldest is forgotten (its next fill is refused again by the same hint, so forgetting is safe, only slower).
 */
export type Narrowed = 'private' | 'uncacheable';

export const defaultNarrowedKeysLimit = 10_000;

export class NarrowedKeys {
  readonly #keys = new Map<string, Narrowed>();
  readonly #limit: number;

  constructor(limit = defaultNarrowedKeysLimit) {
    this.#limit = limit;
  }

  get size(): number {
    return this.#keys.size;
  }

  get(key: string): Narrowed | undefined {
    return this.#keys.size === 0 ? undefined : this.#keys.get(key);
  }

  set(key: string, narrowed: Narrowed): void {
    // 'uncacheable' is the narrower of the two and is never widened again.
    if (this.#keys.get(key) === 'uncacheable') return;
    this.#keys.delete(key);
    if (this.#keys.size >= this.#limit) this.#keys.delete(this.#keys.keys().next().value!);
    this.#keys.set(key, narrowed);
  }
}
