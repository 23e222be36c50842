/** The warning for a value whose tags could not be derived, shared by the field tier and mutation invalidation. */
import type { DeriveProblem } from '../tags/derive.js';
import type { FieldPlan } from './plan.js';

export function describeDeriveProblem(plan: FieldPlan, problem: DeriveProblem): string {
  switch (problem.kind) {
    case 'unresolved-type':
      return `${plan.coordinate} returned a value of the abstract type ${problem.typeName} whose concrete type could not be determined synchronously (no __typename, resolveType answered with a promise or nothing, no isTypeOf matched), so its tags are unknown and it was served uncached.`;
    case 'entity-without-key':
      return `${plan.coordinate} returned a value of type ${problem.typeName} without its key fields (${problem.keyFields}) in the raw value, so it cannot be tagged and was served uncached. Include the key fields in what the resolver returns.`;
    case 'too-deep':
      return `${plan.coordinate} returned a value nested too deeply to derive its tags; it was served uncached.`;
    case 'unreadable':
      return `${plan.coordinate} returned a value whose ${problem.coordinate} threw when read (${problem.message}), so its tags are unknown and it was served uncached.`;
  }
}
