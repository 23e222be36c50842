/**
 * Which names a schema gives the directives cachetag reads, from its `@link`
 * imports as Federation resolves them: a Federation 2 subgraph may write
 * `@federation__cacheTag`, `@fed__key` or a renamed `@primaryKey`, and each
 * must be read as `@cacheTag` or `@key`, never silently dropped.
 */
import { buildASTSchema, getDirectiveValues, parse, type GraphQLSchema } from 'graphql';

/** Local directive name (without `@`) → the name of the cachetag directive it stands for. */
export type DirectiveNames = ReadonlyMap<string, string>;

/** The directives cachetag reads, under the names they have when no `@link` renames them. */
const ownDirectives = ['cacheControl', 'cacheTag', 'cacheKey', 'invalidates', 'cacheNull', 'listScope'] as const;

/**
 * The directives of known specs that cachetag reads, by the spec's name (the
 * URL's last path segment before the version): Federation defines `@key` and
 * (from v2.12) `@cacheTag`; the link spec itself none.
 */
const specDirectives: Readonly<Record<string, readonly string[]>> = {
  federation: ['key', 'cacheTag'],
  link: [],
};

/**
 * The names used when the schema links no spec: cachetag's own, `@key` as in
 * Federation 1 subgraphs, and Federation's default namespace, which names
 * nothing else (a schema whose `@link` was lost on the way still reads).
 */
export const defaultDirectiveNames: DirectiveNames = new Map([
  ...[...ownDirectives, 'key'].map((name): [string, string] => [name, name]),
  ['federation__key', 'key'],
  ['federation__cacheTag', 'cacheTag'],
]);

const linkDirective = buildASTSchema(
  parse(`
    scalar link__Import
    enum link__Purpose { SECURITY EXECUTION }
    directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA
  `),
  { assumeValidSDL: true },
).getDirective('link')!;

/**
 * Resolves the schema's `@link`s (on `schema` or `extend schema`) as
 * Federation does: a spec's directives are reachable as `@<namespace>__<name>`
 * (the namespace is `as:`, else the spec's name), and imported ones under
 * their own name or the `as:` of the import. A name a link imports from
 * another spec no longer means cachetag's directive. Once Federation is
 * linked, a plain `@key` is Federation's only when imported.
 */
export function directiveNamesOf(schema: GraphQLSchema): DirectiveNames {
  const links = [schema.astNode, ...schema.extensionASTNodes].flatMap((node) => (node?.directives ?? []).filter((d) => d.name.value === 'link'));
  if (links.length === 0) return defaultDirectiveNames;
  const names = new Map(defaultDirectiveNames);
  const bound = new Map<string, string | undefined>();
  for (const node of links) {
    let values: { url?: unknown; as?: unknown; import?: unknown };
    try {
      values = getDirectiveValues(linkDirective, { directives: [node] }) ?? {};
    } catch {
      continue; // A malformed @link is Federation's to report; it names nothing cachetag reads.
    }
    if (typeof values.url !== 'string') continue;
    const specName = specNameOf(values.url);
    // A spec cachetag does not know (one made for `@composeDirective`) is taken to provide cachetag's own directives.
    const provided = (specName !== undefined ? specDirectives[specName] : undefined) ?? ownDirectives;
    if (specName === 'federation') names.delete('key');
    const namespace = typeof values.as === 'string' ? values.as : specName;
    if (namespace !== undefined) for (const name of provided) bound.set(`${namespace}__${name}`, name);
    for (const entry of Array.isArray(values.import) ? (values.import as unknown[]) : []) {
      const { name, as } = importOf(entry);
      if (!name?.startsWith('@')) continue; // Types (`FieldSet`) are not directives.
      const canonical = name.slice(1);
      bound.set((as ?? name).replace(/^@/, ''), provided.includes(canonical) ? canonical : undefined);
    }
  }
  for (const [local, canonical] of bound) {
    if (canonical === undefined) names.delete(local);
    else names.set(local, canonical);
  }
  return names;
}

/** `https://specs.apollo.dev/federation/v2.12` → `federation`. */
function specNameOf(url: string): string | undefined {
  let segments: string[];
  try {
    segments = new URL(url).pathname.split('/').filter(Boolean);
  } catch {
    return undefined;
  }
  if (segments.length > 0 && /^v\d+(\.\d+)?$/.test(segments[segments.length - 1]!)) segments.pop();
  return segments[segments.length - 1];
}

function importOf(entry: unknown): { name?: string; as?: string } {
  if (typeof entry === 'string') return { name: entry };
  if (entry !== null && typeof entry === 'object') {
    const { name, as } = entry as { name?: unknown; as?: unknown };
    return { ...(typeof name === 'string' ? { name } : {}), ...(typeof as === 'string' ? { as } : {}) };
  }
  return {};
}
