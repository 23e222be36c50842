/**
 * The identity of a cached field's parent, which enters the field's key, and the parent's own tags, which its entry
 * inherits: an entity by its key fields, the query root by nothing, any other object by its whole value.
 */
import { assertEncodable } from '../codec/encodable.js';
import { addEntityTags, entityIdentity } from '../tags/derive.js';
import { canonicalize } from './key.js';
import type { FieldCall } from './fieldCall.js';

/** The parent's identity and own tags, or undefined when the parent cannot be identified. */
export function parentOf({ cachePlan, plan, source }: FieldCall): { identity: string; tags: string[] } | undefined {
  if (cachePlan.schema.getQueryType()?.name === plan.typeName) return { identity: '', tags: [] };
  const typeInfo = cachePlan.types.get(plan.typeName);
  if (typeInfo?.keyFields) {
    const identity = entityIdentity(typeInfo, source);
    if (!identity) return undefined;
    const tags = new Set<string>();
    addEntityTags(typeInfo, identity, tags);
    return { identity: identity.tag, tags: [...tags] };
  }
  // A non-entity parent is identified by its whole value.
  try {
    assertEncodable(source, () => plan.coordinate);
    return { identity: `~${canonicalize(source)}`, tags: [] };
  } catch {
    return undefined;
  }
}
