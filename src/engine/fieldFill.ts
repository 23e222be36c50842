/**
 * Prepares the entry of a freshly resolved field value: its tags (the field's own and those derived from the value)
 * and its encoded frame, or the reason it cannot be cached. Encoding happens here, before anyone can mutate the value.
 */
import { CacheTagError } from '../errors.js';
import type { Codec } from '../codec/codec.js';
import { assertEncodable } from '../codec/encodable.js';
import type { Clock } from '../stores/memory.js';
import { deriveEntityTags } from '../tags/derive.js';
import type { FieldReason } from '../metrics/events.js';
import { describeDeriveProblem } from './deriveProblem.js';
import type { FieldCall } from './fieldCall.js';
import type { Failures } from './failures.js';

export interface FieldFillDeps {
  readonly codec: Codec;
  readonly clock: Clock;
  readonly failures: Failures;
}

/** Tags and frame of a fresh value, or the reason it cannot be cached. */
export function prepareFill(
  { codec, clock, failures }: FieldFillDeps,
  { cachePlan, plan, context, info }: FieldCall,
  value: unknown,
  fieldTags: ReadonlySet<string>,
  ttlMs = plan.ttlMs,
): { tags: string[]; frame: Uint8Array } | FieldReason {
  if ((value === null || value === undefined) && !plan.cacheNull) return 'null';
  if (value instanceof Error) return 'error';
  const tags = new Set(fieldTags);
  const problem = deriveEntityTags(
    info.returnType,
    value,
    { schema: cachePlan.schema, types: cachePlan.types, listScopes: cachePlan.listScopes, contextValue: context, info },
    tags,
  );
  if (problem) {
    failures.warnOnce(`derive:${plan.coordinate}:${problem.kind}`, describeDeriveProblem(plan, problem));
    return problem.kind === 'too-deep' || problem.kind === 'unreadable' ? 'unserializable' : problem.kind;
  }
  try {
    assertEncodable(value, () => plan.coordinate);
    const tagList = [...tags];
    // The entry carries its tags, so a hit can report them (debug output, CDN tag headers).
    // Its expiry time too, so a hit knows how long the entry has left (0.1.0 entries, without one, still read).
    const frame = codec.encode([tagList, value === undefined ? null : value, clock.now() + ttlMs]);
    return { tags: tagList, frame };
  } catch (error) {
    if (!(error instanceof CacheTagError)) throw error;
    failures.warnOnce(`encode:${plan.coordinate}:${error.code}`, error.message);
    return error.code === 'VALUE_TOO_LARGE' ? 'too-large' : 'unserializable';
  }
}
