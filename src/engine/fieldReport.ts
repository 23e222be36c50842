/**
 * Records a cached field's outcome: the cache's counters, what the response then depends on (its request scope), the
 * diagnostics channel, and the debug record when the request asked for one.
 */
import type { GraphQLResolveInfo } from 'graphql';
import { describeKey, type KeyParts } from './key.js';
import type { FieldPlan } from './plan.js';
import type { FieldDebugRecord, RequestScope } from './requestScope.js';
import { fieldChannel, type CacheStats, type FieldEvent } from '../metrics/events.js';

export type ReportField = (
  scope: RequestScope,
  call: { readonly plan: FieldPlan; readonly info: GraphQLResolveInfo },
  event: FieldEvent,
  keyParts?: KeyParts,
  tags?: readonly string[],
) => void;

export function createFieldReporter(stats: CacheStats): ReportField {
  return (scope, { plan, info }, event, keyParts, tags) => {
    const counts = (stats.byCoordinate[event.coordinate] ??= { hits: 0, misses: 0, bypasses: 0 });
    if (event.outcome === 'hit') {
      stats.hits++;
      counts.hits++;
    } else {
      if (event.outcome === 'miss') {
        stats.misses++;
        counts.misses++;
      } else {
        stats.bypasses++;
        counts.bypasses++;
      }
      const reason = `${event.outcome}:${event.reason ?? 'unknown'}`;
      stats.byReason[reason] = (stats.byReason[reason] ?? 0) + 1;
    }
    if (event.outcome === 'bypass') scope.markBypassed();
    else scope.usedCachedField(plan.ttlMs);
    if (tags) scope.addTags(tags);
    if (fieldChannel.hasSubscribers) fieldChannel.publish(event);
    if (scope.debug) {
      const record: FieldDebugRecord = {
        path: pathOf(info),
        coordinate: plan.coordinate,
        outcome: event.outcome,
        ...(event.reason ? { reason: event.reason } : {}),
        ...(event.key ? { key: event.key } : {}),
        ...(keyParts ? { keyParts: describeKey(keyParts) } : {}),
        ...(tags ? { tags } : {}),
      };
      scope.debug.push(record);
    }
  };
}

function pathOf(info: GraphQLResolveInfo): string {
  const segments: (string | number)[] = [];
  for (let path: GraphQLResolveInfo['path'] | undefined = info.path; path; path = path.prev) segments.push(path.key);
  return segments.reverse().join('.');
}
