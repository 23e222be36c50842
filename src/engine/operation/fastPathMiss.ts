/**
 * Hands a fast-path miss (its key and sequence) from `storedResponse()` to the server's operation lookup of the same
 * request, which then spares its store call. The only state the engine keeps on the user's context object: a
 * symbol-keyed property, not a WeakMap entry, because servers may copy the context object before executing (Apollo
 * Server does, with Object.assign), and only own properties survive the copy. Nothing else reads or writes it.
 */
import type { StoreSeq } from '../../stores/types.js';

const FAST_PATH_MISS = Symbol('cachetag.fastPathMiss');

export interface FastPathMiss {
  readonly key: string;
  readonly seq: StoreSeq;
  readonly read: 'absent' | 'stale';
}

type Carrier = { [FAST_PATH_MISS]?: FastPathMiss };

/** Remembers, on the context the server will execute with, that the fast path missed `key` at `seq`. */
export function rememberFastPathMiss(context: object, miss: FastPathMiss): void {
  (context as Carrier)[FAST_PATH_MISS] = miss;
}

/** The fast-path miss remembered on this context (or on the context it was copied from), if any. */
export function fastPathMissOf(context: object): FastPathMiss | undefined {
  return (context as Carrier)[FAST_PATH_MISS];
}
