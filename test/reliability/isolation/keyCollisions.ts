/**
 * Key collisions, searched with the engine's own key functions (`canonicalArguments` + `entryKey` for field entries,
 * `operationKey` for stored responses): generated request pairs that differ in a way that matters (an argument value,
 * its type, a Unicode look-alike, a character moved across a separator, null against absent, the parent, the session,
 * the variables, the operation name) must get different keys; pairs that differ only in argument or variable order
 * must share one. A pair counted as a collision would serve one request another's data.
 */
import { buildSchema, type GraphQLArgument, type GraphQLObjectType } from 'graphql';
import { canonicalArguments } from '../../../src/engine/argumentKey.js';
import { entryKey } from '../../../src/engine/key.js';
import { operationKey } from '../../../src/engine/operation/eligibility.js';
import { mulberry32 } from '../history/history.js';

export const keyCollisionPairs = (long: boolean): number => (long ? 1_000_000 : 50_000);

export interface KeyCollisionResult {
  pairs: number;
  /** Pairs that differ in a way that matters and got one key. */
  collisions: number;
  /** Pairs that differ only in order and got two keys (a lost hit, not a wrong answer). */
  splits: number;
  examples: string[];
}

const schema = buildSchema(`
  enum Color { RED GREEN }
  input Filter { name: String, ids: [ID!], nested: Filter, color: Color }
  type Query { search(id: ID, name: String, n: Int, x: Float, flag: Boolean, tags: [String], filter: Filter, color: Color): Int }
`);
const definitions: readonly GraphQLArgument[] = (schema.getType('Query') as GraphQLObjectType).getFields().search!.args;

type Args = Record<string, unknown>;
interface Request {
  parent: string;
  scope: string;
  args: Args;
}

/** Look-alikes and separator characters that a naive key might confuse. */
const TRICKY = ['a', 'а' /* Cyrillic */, 'é', 'e\u0301', '\u200b', ' ', ':', ',', '\0', '"', '\\', '{', '}', '1', '１' /* full width */, 'null', ''];

export function searchKeyCollisions(pairs: number, seed = 7): KeyCollisionResult {
  const random = mulberry32(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(values: readonly T[]): T => values[int(values.length)]!;
  const text = (): string => Array.from({ length: int(4) }, () => pick(TRICKY)).join('');
  const filter = (depth: number): Args => {
    const value: Args = {};
    if (random() < 0.6) value.name = text();
    if (random() < 0.4) value.ids = Array.from({ length: int(3) }, text);
    if (random() < 0.3) value.color = pick(['RED', 'GREEN']);
    if (depth < 2 && random() < 0.3) value.nested = filter(depth + 1);
    return value;
  };
  const request = (): Request => {
    const args: Args = {};
    if (random() < 0.7) args.id = text();
    if (random() < 0.5) args.name = random() < 0.1 ? null : text();
    if (random() < 0.4) args.n = int(5) - 2;
    if (random() < 0.3) args.x = pick([0, -0, 0.5, 1, 1e21]);
    if (random() < 0.3) args.flag = random() < 0.5;
    if (random() < 0.4) args.tags = Array.from({ length: int(3) }, text);
    if (random() < 0.3) args.filter = filter(0);
    if (random() < 0.2) args.color = pick(['RED', 'GREEN']);
    return { parent: random() < 0.5 ? '' : `Item:${text()}`, scope: random() < 0.5 ? 'PUBLIC' : `PRIVATE:${text()}`, args };
  };
  // Each change makes a request that must not share the original's key (the change is checked to be real).
  const changes: ((r: Request) => Request)[] = [
    (r) => ({ ...r, args: { ...r.args, id: `${(r.args.id as string | undefined) ?? ''}${pick(TRICKY.filter(Boolean))}` } }),
    (r) => ({ ...r, args: { ...r.args, name: r.args.name === null ? undefined : null } }),
    (r) => ({ ...r, args: { ...r.args, name: r.args.name === undefined ? '' : undefined } }),
    (r) => ({ ...r, args: { ...r.args, n: ((r.args.n as number | undefined) ?? 0) + 1 } }),
    (r) => ({ ...r, args: { ...r.args, x: r.args.x === 1 ? 1.5 : 1 } }),
    (r) => ({ ...r, args: { ...r.args, flag: r.args.flag !== true } }),
    // A character moved across the boundary of two arguments, or of two list items.
    (r) => ({
      ...r,
      args: { ...r.args, id: `${(r.args.id as string | undefined) ?? ''},`, name: `${(r.args.name as string | null | undefined) ?? ''}`.slice(1) },
    }),
    (r) => {
      const tags = (r.args.tags as string[] | undefined) ?? [];
      return { ...r, args: { ...r.args, tags: tags.length > 1 ? [tags.join(',')] : [...tags, ''] } };
    },
    (r) => ({ ...r, args: { ...r.args, filter: { ...((r.args.filter as Args | undefined) ?? {}), nested: { name: text() } } } }),
    (r) => ({ ...r, args: { ...r.args, color: r.args.color === 'RED' ? 'GREEN' : 'RED' } }),
    (r) => ({ ...r, parent: r.parent === '' ? 'Item:' : `${r.parent}${pick(TRICKY.filter(Boolean))}` }),
    (r) => ({ ...r, scope: r.scope === 'PUBLIC' ? 'PRIVATE:PUBLIC' : `${r.scope}${pick(TRICKY.filter(Boolean))}` }),
    // The session moved into an argument: the same characters, another request.
    (r) => ({ ...r, scope: 'PRIVATE:', args: { ...r.args, id: `${r.scope}${(r.args.id as string | undefined) ?? ''}` } }),
  ];
  const reorder = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(reorder);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reorder(v)]),
    );
  };
  const fieldKey = (r: Request): string =>
    entryKey({
      schemaHash: 'h',
      coordinate: 'Query.search',
      parentIdentity: r.parent,
      args: r.args,
      argsKey: canonicalArguments(definitions, r.args),
      scope: r.scope,
    });
  const opKey = (r: Request): string => operationKey({ schemaHash: 'h', query: 'q', operationName: r.parent || null, variables: r.args, scope: r.scope });
  const meaning = (r: Request): string => JSON.stringify([r.parent, r.scope, sortDeep(dropUndefined(r.args))]);

  const result: KeyCollisionResult = { pairs: 0, collisions: 0, splits: 0, examples: [] };
  while (result.pairs < pairs) {
    const a = request();
    const same = random() < 0.2;
    const b: Request = same ? { ...a, args: reorder(a.args) as Args } : pick(changes)(a);
    if (!same && meaning(a) === meaning(b)) continue; // the change happened to change nothing
    result.pairs++;
    for (const [kind, key] of [
      ['field', fieldKey],
      ['operation', opKey],
    ] as const) {
      const equal = key(a) === key(b);
      if (same && !equal) {
        result.splits++;
        if (result.examples.length < 5) result.examples.push(`${kind} split: ${meaning(a)}`);
      } else if (!same && equal) {
        result.collisions++;
        if (result.examples.length < 5) result.examples.push(`${kind} collision: ${meaning(a)} and ${meaning(b)}`);
      }
    }
  }
  return result;
}

function dropUndefined(value: Args): Args {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .filter((k) => (value as Args)[k] !== undefined)
      .map((k) => [k, sortDeep((value as Args)[k])]),
  );
}
