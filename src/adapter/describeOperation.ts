/**
 * How an adapter reports the operation tier's outcome in `extensions.cachetag.operation`: one shape for every
 * integration, so debug output reads the same through Apollo and Yoga.
 */
import type { OperationOutcome } from '../engine/engine.js';

/** The debug record of an operation-tier outcome; `stored` says whether a miss's response was stored. */
export function describeOperation(outcome: OperationOutcome, stored: boolean): Record<string, unknown> {
  switch (outcome.outcome) {
    case 'hit':
      return { outcome: 'hit', key: outcome.key, tags: outcome.tags };
    case 'miss':
      return { outcome: 'miss', reason: outcome.reason, key: outcome.key, stored };
    case 'bypass':
      return { outcome: 'bypass', reason: outcome.reason };
  }
}
