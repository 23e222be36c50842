/**
 * The operation tier, whole responses stored on the tags of the fields they are made of (see eligibility.ts): its one
 * entry point. Adapters reach it through the cache: lookup before execution, fill after it, and the HTTP fast path.
 */
import type { OperationTierDeps } from './deps.js';
import { createLookupOperation } from './lookupOperation.js';
import { createFillOperation } from './fillOperation.js';
import { createStoredResponse } from './storedResponse.js';
import { createOperationReader } from './storedOperation.js';

export type { OperationTierDeps } from './deps.js';
export type { OperationOutcome, OperationPolicy, OperationRequest, StoredResponse, StoredResponseOptions, StoredResponseRequest } from './types.js';
export { queryHash } from './queryHash.js';

export interface OperationTier {
  lookupOperation: ReturnType<typeof createLookupOperation>;
  fillOperation: ReturnType<typeof createFillOperation>;
  storedResponse: ReturnType<typeof createStoredResponse>;
}

export function createOperationTier(base: Omit<OperationTierDeps, 'readOperation'>): OperationTier {
  // One memo shared by the lookup and the fast path: a frame decoded by either is not decoded again.
  const deps: OperationTierDeps = { ...base, readOperation: createOperationReader(base.codec) };
  return {
    lookupOperation: createLookupOperation(deps),
    fillOperation: createFillOperation(deps),
    storedResponse: createStoredResponse(deps),
  };
}
