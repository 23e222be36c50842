/**
 * Fills are written off the request's critical path, batched: every fill
 * queued in one tick goes to the store in one `set` call.
 */
import type { Store, StoreEntry } from '../stores/types.js';

export class FillQueue {
  readonly #store: Store;
  readonly #onError: (error: unknown) => void;
  #batch: StoreEntry[] = [];
  #pending = new Set<Promise<unknown>>();

  constructor(store: Store, onError: (error: unknown) => void) {
    this.#store = store;
    this.#onError = onError;
  }

  push(entry: StoreEntry): void {
    if (this.#batch.length === 0) process.nextTick(() => this.#flush());
    this.#batch.push(entry);
  }

  /** Resolves when every fill queued so far has been written (or has failed). */
  async idle(): Promise<void> {
    while (this.#batch.length > 0 || this.#pending.size > 0) {
      if (this.#batch.length > 0) this.#flush();
      await Promise.allSettled([...this.#pending]);
    }
  }

  #flush(): void {
    const batch = this.#batch;
    if (batch.length === 0) return;
    this.#batch = [];
    const write = this.#store.set(batch).then(
      () => undefined,
      (error: unknown) => this.#onError(error),
    );
    this.#pending.add(write);
    void write.finally(() => this.#pending.delete(write));
  }
}
