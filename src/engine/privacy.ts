/**
 * Whether a cached field's value is per-session data, beyond its own scope: because of what its selection can
 * contain (decided once per field node of a document), or because of where it sits in the response (its ancestors).
 * Stricter than Apollo's static policy, which only reads the declared return types.
 */
import { getNamedType, type FieldNode, type GraphQLObjectType, type GraphQLResolveInfo } from 'graphql';
import type { CachePlan, FieldPlan } from './plan.js';
import type { RequestScope } from './requestScope.js';
import { objectTypesOf, walkSelectionSets } from './selection.js';

/** True when the schema declares nothing PRIVATE: then no selection needs a walk. */
export function hasNoPrivate(cachePlan: CachePlan): boolean {
  return cachePlan.privateFields.size === 0 && cachePlan.privateTypes.size === 0;
}

/**
 * Whether a cached field (whose own scope is PUBLIC) holds per-session data: below PRIVATE data in this response
 * (which a dynamic hint may have made PRIVATE, whatever the schema says), or selecting PRIVATE data. Cheap when
 * nothing is PRIVATE: a flag and a size check; the selection is walked only when the schema lets it reach PRIVATE.
 */
export function isPrivateHere(cachePlan: CachePlan, plan: FieldPlan, scope: RequestScope, info: GraphQLResolveInfo): boolean {
  if ((scope.hasPrivate || cachePlan.privateTypes.size > 0) && hasPrivateAncestor(cachePlan, scope, info.path)) return true;
  return plan.selectionCanBePrivate && selectionIsPrivate(cachePlan, plan, info);
}

// Per field plan (so per parent type and return type), per field node of a document: weak, so both can go.
const selectionMemo = new WeakMap<FieldPlan, WeakMap<FieldNode, boolean>>();

/**
 * True when the field's selection can contain a PRIVATE field or a value of a PRIVATE object type, at any depth and
 * on any possible type. The resolver's raw value then may hold per-session data (a PRIVATE field resolved from it
 * by a default resolver), so it is keyed by session. A selection too complex to analyze counts as PRIVATE.
 */
export function selectionIsPrivate(cachePlan: CachePlan, plan: FieldPlan, info: GraphQLResolveInfo): boolean {
  let byNode = selectionMemo.get(plan);
  if (!byNode) selectionMemo.set(plan, (byNode = new WeakMap()));
  for (const node of info.fieldNodes) {
    let isPrivate = byNode.get(node);
    if (isPrivate === undefined) {
      isPrivate =
        node.selectionSet !== undefined &&
        walkSelectionSets(
          cachePlan.schema,
          (name) => info.fragments[name],
          objectTypesOf(cachePlan.schema, getNamedType(info.returnType)),
          [node.selectionSet],
          false,
          ({ parentType, coordinate }) => (cachePlan.privateFields.has(coordinate) || cachePlan.privateTypes.has(parentType.name) ? 'private' : undefined),
        ) !== undefined;
      byNode.set(node, isPrivate);
    }
    if (isPrivate) return true;
  }
  return false;
}

/**
 * True when the field sits below PRIVATE data in this response: an ancestor field that was PRIVATE (marked in
 * {@link RequestScope.privatePaths} when it resolved), or an ancestor object of a PRIVATE type. The path records the
 * parent type of every step (`typename`), so PRIVATE types need no marking; PRIVATE fields do, because the path names
 * them by response key, which an alias changes.
 */
export function hasPrivateAncestor(cachePlan: CachePlan, scope: RequestScope, path: GraphQLResolveInfo['path']): boolean {
  const types = cachePlan.privateTypes;
  for (let step: GraphQLResolveInfo['path'] | undefined = path; step; step = step.prev) {
    if (step.typename !== undefined && types.has(step.typename)) return true;
    if (step !== path && scope.hasPrivate && scope.privatePaths.has(step)) return true;
  }
  return false;
}

/** Marks a PRIVATE field's path, so the cached fields below it are keyed by session. */
export function markPrivate(scope: RequestScope, path: GraphQLResolveInfo['path']): void {
  scope.privatePaths.add(path);
  scope.hasPrivate = true;
}

/**
 * What a selection below a field can reach that is PRIVATE (field coordinates and object types, sorted): the
 * field is keyed by session in a request whose selection includes any of them. For `cachetag plan`.
 */
export function privateBelow(cachePlan: CachePlan, plan: FieldPlan): string[] {
  if (hasNoPrivate(cachePlan)) return [];
  const { schema } = cachePlan;
  const found = new Set<string>();
  const seen = new Set<string>();
  const field = (schema.getType(plan.typeName) as GraphQLObjectType | undefined)?.getFields()[plan.fieldName];
  const queue = field ? objectTypesOf(schema, getNamedType(field.type)) : [];
  while (queue.length > 0) {
    const type = queue.pop()!;
    if (seen.has(type.name)) continue;
    seen.add(type.name);
    if (cachePlan.privateTypes.has(type.name)) found.add(type.name);
    for (const child of Object.values(type.getFields())) {
      if (cachePlan.privateFields.has(`${type.name}.${child.name}`)) found.add(`${type.name}.${child.name}`);
      queue.push(...objectTypesOf(schema, getNamedType(child.type)));
    }
  }
  return [...found].sort();
}
