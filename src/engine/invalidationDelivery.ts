/**
 * Delivers each acknowledged invalidation to the cache's `onInvalidate` listeners (forwarders to an Apollo Router,
 * a CDN, another cache), off the mutation's path: at least once per listener, retried with exponential backoff when
 * a listener throws or times out, then dropped with a warning. The queue is bounded, so a listener that is down
 * costs memory up to `maxQueued` deliveries and never blocks, fails or slows a mutation.
 */
import { invalidOption } from '../errors.js';

/** One acknowledged invalidation, as the listeners receive it. */
export interface Invalidation {
  /** The tags the store invalidated (an entity's tags and type tags already derived; each covers everything below it). */
  readonly tags: readonly string[];
  /** `'mutation'` when a mutation field invalidated them, `'api'` for `cache.invalidate()` and `invalidateEntities()`. */
  readonly source: 'mutation' | 'api';
  /** The mutation field's coordinate, for `'mutation'`. */
  readonly coordinate?: string;
}

/**
 * Receives acknowledged invalidations. It may return a promise: a rejection (or no settlement within `timeoutMs`,
 * after which `signal` aborts) counts as a failed attempt and is retried.
 */
export type InvalidationListener = (invalidation: Invalidation, signal: AbortSignal) => unknown;

/** How invalidations are delivered to listeners. */
export interface InvalidationDeliveryOptions {
  /** Attempts per listener and invalidation, the first included. Default {@link defaultDeliveryAttempts}. */
  maxAttempts?: number;
  /** Delay before the first retry, doubled for each further one (capped at 30 s). Default {@link defaultRetryDelayMs}. */
  retryDelayMs?: number;
  /** How long one attempt may take before it counts as failed. Default {@link defaultDeliveryTimeoutMs}. */
  timeoutMs?: number;
  /** Deliveries waiting or being retried at most; further ones are dropped with a warning. Default {@link defaultMaxQueuedDeliveries}. */
  maxQueued?: number;
  /** How long `cache.close()` waits for deliveries before dropping the rest. Default {@link defaultCloseTimeoutMs}. */
  closeTimeoutMs?: number;
}

export const defaultDeliveryAttempts = 5;
export const defaultRetryDelayMs = 200;
export const defaultDeliveryTimeoutMs = 5_000;
export const defaultMaxQueuedDeliveries = 10_000;
export const defaultCloseTimeoutMs = 5_000;
const MAX_RETRY_DELAY_MS = 30_000;
/** Deliveries attempted at once: enough to hide one slow endpoint, few enough not to flood one. */
const CONCURRENCY = 4;

/** The counters the delivery keeps in the cache's stats. */
export interface DeliveryStats {
  forwardedInvalidations: number;
  forwardRetries: number;
  droppedInvalidations: number;
}

interface Delivery {
  readonly listener: InvalidationListener;
  readonly invalidation: Invalidation;
  attempts: number;
}

export class InvalidationDelivery {
  readonly #listeners = new Set<InvalidationListener>();
  readonly #ready: Delivery[] = [];
  readonly #stats: DeliveryStats;
  readonly #warn: (id: string, message: string) => void;
  readonly #maxAttempts: number;
  readonly #retryDelayMs: number;
  readonly #timeoutMs: number;
  readonly #maxQueued: number;
  readonly #closeTimeoutMs: number;
  /** Attempts under way, with what stops them at close. */
  readonly #inFlight = new Set<{ controller: AbortController; timer: ReturnType<typeof setTimeout> | undefined }>();
  #closed = false;
  #running = 0;
  #backingOff = new Set<ReturnType<typeof setTimeout>>();
  #idle: (() => void)[] = [];

  constructor(options: InvalidationDeliveryOptions | undefined, stats: DeliveryStats, warn: (id: string, message: string) => void) {
    if (options !== undefined && (options === null || typeof options !== 'object'))
      throw invalidOption('createCache', 'invalidationDelivery', 'an object', options);
    this.#maxAttempts = positiveInteger('maxAttempts', options?.maxAttempts, defaultDeliveryAttempts);
    this.#retryDelayMs = positiveInteger('retryDelayMs', options?.retryDelayMs, defaultRetryDelayMs, true);
    this.#timeoutMs = positiveInteger('timeoutMs', options?.timeoutMs, defaultDeliveryTimeoutMs);
    this.#maxQueued = positiveInteger('maxQueued', options?.maxQueued, defaultMaxQueuedDeliveries);
    this.#closeTimeoutMs = positiveInteger('closeTimeoutMs', options?.closeTimeoutMs, defaultCloseTimeoutMs, true);
    this.#stats = stats;
    this.#warn = warn;
  }

  /** Adds a listener; returns the function that removes it. */
  add(listener: InvalidationListener): () => void {
    if (typeof listener !== 'function')
      throw invalidOption('createCache', 'onInvalidate', 'a function (invalidation, signal) => unknown, or an array of such', listener);
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Queues the invalidation for every listener and returns at once. */
  dispatch(invalidation: Invalidation): void {
    if (this.#closed) return;
    for (const listener of this.#listeners) {
      if (this.#size() >= this.#maxQueued) {
        this.#stats.droppedInvalidations++;
        this.#warn(
          `delivery-full:${nameOf(listener)}`,
          `onInvalidate listener ${nameOf(listener)}: ${this.#maxQueued} deliveries are already waiting (invalidationDelivery.maxQueued), so the invalidation of ${describeTags(invalidation.tags)} was dropped for it; further drops are counted in stats().droppedInvalidations.`,
        );
        continue;
      }
      this.#ready.push({ listener, invalidation, attempts: 0 });
    }
    this.#pump();
  }

  /** Resolves once every queued delivery succeeded or was dropped (retries included). */
  idle(): Promise<void> {
    if (this.#size() === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Waits for the queue up to `closeTimeoutMs`, then drops what is left (aborting attempts under way); resolves to the number dropped. */
  async close(): Promise<number> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (this.#size() > 0) await Promise.race([this.idle(), new Promise<void>((resolve) => (timer = setTimeout(resolve, this.#closeTimeoutMs)))]);
    clearTimeout(timer);
    this.#closed = true;
    const left = this.#size();
    for (const pending of this.#backingOff) clearTimeout(pending);
    for (const attempt of this.#inFlight) {
      clearTimeout(attempt.timer);
      attempt.controller.abort(new Error('the cache was closed'));
    }
    this.#inFlight.clear();
    this.#backingOff.clear();
    this.#ready.length = 0;
    this.#running = 0;
    this.#listeners.clear();
    if (left > 0) {
      this.#stats.droppedInvalidations += left;
      this.#warn(
        'delivery-close',
        `close(): ${left} invalidation deliver${left === 1 ? 'y' : 'ies'} to onInvalidate listeners could not be made before the deadline and were dropped.`,
      );
    }
    this.#settle();
    return left;
  }

  #size(): number {
    return this.#ready.length + this.#running + this.#backingOff.size;
  }

  #pump(): void {
    while (this.#running < CONCURRENCY && this.#ready.length > 0) {
      const delivery = this.#ready.shift()!;
      this.#running++;
      void this.#attempt(delivery).finally(() => {
        if (this.#closed) return;
        this.#running--;
        this.#pump();
        this.#settle();
      });
    }
  }

  async #attempt(delivery: Delivery): Promise<void> {
    delivery.attempts++;
    const attempt = { controller: new AbortController(), timer: undefined as ReturnType<typeof setTimeout> | undefined };
    this.#inFlight.add(attempt);
    try {
      await Promise.race([
        Promise.resolve().then(() => delivery.listener(delivery.invalidation, attempt.controller.signal)),
        new Promise((_, reject) => {
          attempt.timer = setTimeout(() => {
            const error = new Error(`no answer within ${this.#timeoutMs} ms`);
            attempt.controller.abort(error);
            reject(error);
          }, this.#timeoutMs);
        }),
      ]);
      if (this.#closed) return;
      this.#stats.forwardedInvalidations++;
    } catch (error) {
      if (this.#closed) return;
      const reason = error instanceof Error ? error.message : String(error);
      if (delivery.attempts >= this.#maxAttempts) {
        this.#stats.droppedInvalidations++;
        this.#warn(
          `delivery-dropped:${nameOf(delivery.listener)}`,
          `onInvalidate listener ${nameOf(delivery.listener)} failed ${delivery.attempts} times (last: ${reason.replace(/\.+$/, '')}); the invalidation of ${describeTags(delivery.invalidation.tags)} was dropped for it. Further drops are counted in stats().droppedInvalidations.`,
        );
        return;
      }
      this.#stats.forwardRetries++;
      const delay = Math.min(this.#retryDelayMs * 2 ** (delivery.attempts - 1), MAX_RETRY_DELAY_MS);
      const retry = setTimeout(() => {
        this.#backingOff.delete(retry);
        this.#ready.push(delivery);
        this.#pump();
      }, delay);
      this.#backingOff.add(retry);
    } finally {
      clearTimeout(attempt.timer);
      this.#inFlight.delete(attempt);
    }
  }

  #settle(): void {
    if (this.#size() > 0) return;
    const waiting = this.#idle;
    this.#idle = [];
    for (const resolve of waiting) resolve();
  }
}

function positiveInteger(option: string, value: unknown, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    throw invalidOption('createCache', `invalidationDelivery.${option}`, allowZero ? 'an integer ≥ 0' : 'a positive integer', value);
  }
  return value;
}

function nameOf(listener: InvalidationListener): string {
  return listener.name ? `"${listener.name}"` : '(anonymous)';
}

function describeTags(tags: readonly string[]): string {
  const shown = tags.slice(0, 3).map((tag) => JSON.stringify(tag));
  return tags.length > 3 ? `${shown.join(', ')} and ${tags.length - 3} more` : shown.join(', ');
}

/** The delivery of a cache, with the listeners given to `createCache({ onInvalidate })` already added. */
export function createInvalidationDelivery(
  options: { onInvalidate?: InvalidationListener | readonly InvalidationListener[]; invalidationDelivery?: InvalidationDeliveryOptions },
  stats: DeliveryStats,
  warn: (id: string, message: string) => void,
): InvalidationDelivery {
  const delivery = new InvalidationDelivery(options.invalidationDelivery, stats, warn);
  const listeners = options.onInvalidate;
  for (const listener of listeners === undefined ? [] : Array.isArray(listeners) ? listeners : [listeners]) delivery.add(listener as InvalidationListener);
  return delivery;
}
