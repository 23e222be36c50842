/**
 * The operation tier, whole responses stored on the tags of the fields they are made of (see eligibility.ts): its one
 * entry point. Adapters reach it through the cache: lookup before execution, fill after it, and the HTTP fast path.
 */
import type { OperationTierDeps } from './deps.js';
import { createLookupOperation } from './lookupOperation.js';
import { createFillOperation, type FillOperation, type PrepareOperationFill } from './fillOperation.js';
import { createStoredResponse } from './storedResponse.js';
import { createOperationFrames } from './storedOperation.js';

export type { OperationTierDeps } from './deps.js';
export type { OperationOutcome, OperationPolicy, OperationRequest, StoredResponse, StoredResponseOptions, StoredResponseRequest } from './types.js';
export { queryHash } from './queryHash.js';
export type { CompleteOperationFill, ExecutedResult, PrepareOperationFill } from './fillOperation.js';

export interface OperationTier {
  lookupOperation: ReturnType<typeof createLookupOperation>;
  fillOperation: FillOperation;
  prepareOperationFill: PrepareOperationFill;
  storedResponse: ReturnType<typeof createStoredResponse>;
}

export function createOperationTier(base: Omit<OperationTierDeps, 'readOperation' | 'encodeOperation' | 'encodeOperationBody'>): OperationTier {
  // One memo shared by the fill, the lookup and the fast path: a frame written or decoded by any is not decoded again.
  const frames = createOperationFrames(base.codec);
  const deps: OperationTierDeps = { ...base, readOperation: frames.read, encodeOperation: frames.encode, encodeOperationBody: frames.encodeBody };
  return {
    lookupOperation: createLookupOperation(deps),
    ...createFillOperation(deps),
    storedResponse: createStoredResponse(deps),
  };
}
