/** What the operation tier needs from the cache it belongs to. */
import type { Codec } from '../../codec/codec.js';
import type { Store } from '../../stores/types.js';
import type { CacheStats } from '../../metrics/events.js';
import type { FillQueue } from '../fillQueue.js';
import type { NarrowedKeys } from '../narrowedKeys.js';
import type { RequestScopes } from '../requestScopes.js';
import type { Failures } from '../failures.js';
import type { SchemaPlans } from '../instrument.js';
import type { OperationFrames, ReadOperation } from './storedOperation.js';

export interface OperationTierDeps {
  readonly store: Store;
  readonly codec: Codec;
  readonly stats: CacheStats;
  readonly failures: Failures;
  readonly fills: FillQueue;
  readonly narrowedKeys: NarrowedKeys;
  readonly scopes: RequestScopes;
  readonly plans: Pick<SchemaPlans, 'planOf' | 'latest' | 'count'>;
  /** `PRIVATE:<session>` for the request's session, or undefined when it has none (throws on a bad session id). */
  readonly privateScopeOf: (context: unknown) => string | undefined;
  /** Decodes a stored operation frame, once per frame object (see createOperationFrames). */
  readonly readOperation: (frame: Uint8Array) => ReadOperation;
  /** Encodes an operation response into a frame that readOperation then reads without decoding it. */
  readonly encodeOperation: OperationFrames['encode'];
  /** {@link encodeOperation} for a body the server serialized already. */
  readonly encodeOperationBody: OperationFrames['encodeBody'];
}
