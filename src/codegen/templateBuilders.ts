/**
 * Template tag builders, one per distinct format string of every `@cacheTag`
 * and `@invalidates`, keyed by the format itself:
 * `tagTemplates['Store:{$args.storeId}:products']({ $args: { storeId } })`.
 *
 * Why the format is the name: it is what the schema says, so it is found by
 * searching either file; two different templates can never share it; and
 * renaming a field or reordering directives changes nothing. The same format
 * used on several fields is one builder (its tags are the same), accepting the
 * values of any of those fields.
 *
 * The parameter mirrors the engine's `TemplateValues`: the values by source
 * (`$args`, `$parent`, `$result`, `$key`), each holding only what the format
 * reads, so resolver arguments, a parent or a mutation result can be passed
 * as they are.
 */
import { isObjectType, type GraphQLField, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import type { FieldCacheInfo, TypeCacheInfo } from '../directives/validate.js';
import type { TagTemplate } from '../tags/template.js';
import { byCodeUnits, commentText, quote, templateText } from './source.js';
import { holdsList, ParamTree, typedArgumentPath, typedPath, unionSegment, type TypedPath } from './valueTypes.js';

/** Where a format is used: `@cacheTag on Query.products`. */
export interface TemplateUse {
  readonly directive: 'cacheTag' | 'invalidates';
  /** `Type` for a type-level `@cacheTag`, `Type.field` otherwise. */
  readonly coordinate: string;
}

/** One builder: a format and what it reads on each field using it. */
export interface TemplateBuilder {
  readonly format: string;
  readonly template: TagTemplate;
  readonly uses: readonly TemplateUse[];
  /** Parameter types, one per distinct shape of values among the uses. */
  readonly params: readonly string[];
  /** The template literal type of the tags it builds. */
  readonly shape: string;
  /** True when a variable can read a list: the builder then returns one tag per value (an array). */
  readonly list: boolean;
}

interface Variant {
  readonly use: TemplateUse;
  readonly template: TagTemplate;
  /** The typed path of each variable, in template order. */
  readonly paths: readonly TypedPath[];
}

/** The template builders of a schema, sorted by format. */
export function templateBuilders(
  schema: GraphQLSchema,
  types: ReadonlyMap<string, TypeCacheInfo>,
  fields: ReadonlyMap<string, FieldCacheInfo>,
): TemplateBuilder[] {
  const variants = new Map<string, Variant[]>();
  const add = (variant: Variant) => {
    const list = variants.get(variant.template.format) ?? [];
    list.push(variant);
    variants.set(variant.template.format, list);
  };
  for (const info of types.values()) {
    const type = schema.getType(info.name);
    if (!isObjectType(type)) continue;
    for (const template of info.tagTemplates) {
      add({ use: { directive: 'cacheTag', coordinate: info.name }, template, paths: template.variables.map((v) => keyPath(type, v.path)) });
    }
  }
  for (const info of fields.values()) {
    const type = schema.getType(info.typeName);
    const field = isObjectType(type) ? type.getFields()[info.fieldName] : undefined;
    if (!field || !isObjectType(type)) continue;
    for (const [directive, templates] of [
      ['cacheTag', info.tagTemplates],
      ['invalidates', info.invalidates],
    ] as const) {
      for (const template of templates) add({ use: { directive, coordinate: info.coordinate }, template, paths: fieldVariablePaths(type, field, template) });
    }
  }
  return [...variants.values()].map(builderOf).sort((a, b) => byCodeUnits(a.format, b.format));
}

/** Each variable's path, from the source object down, with the source itself as the first step. */
function fieldVariablePaths(parent: GraphQLObjectType, field: GraphQLField<unknown, unknown>, template: TagTemplate): TypedPath[] {
  return template.variables.map((variable) => {
    switch (variable.source) {
      case '$args':
        return fromSource('$args', false, typedArgumentPath(field, variable.path));
      case '$result':
        // The engine passes a list result as it is, and reads its items one by one.
        return fromSource('$result', holdsList(field.type), typedPath(field.type, variable.path));
      default:
        return fromSource(variable.source, false, typedPath(parent, variable.path));
    }
  });
}

/** `{$key.path}`: the engine fills it from the entity's key, one value per key field. */
function keyPath(type: GraphQLObjectType, path: readonly string[]): TypedPath {
  const { steps, leaf } = typedPath(type, path);
  return fromSource('$key', false, { steps: steps.map((s) => ({ name: s.name, list: false })), leaf });
}

function fromSource(source: string, list: boolean, below: TypedPath): TypedPath {
  return { steps: [{ name: source, list }, ...below.steps], leaf: below.leaf };
}

function builderOf(variants: readonly Variant[]): TemplateBuilder {
  const first = variants[0]!;
  const { template } = first;
  const params = new Set<string>();
  let list = false;
  for (const variant of variants) {
    const tree = new ParamTree();
    for (const path of variant.paths) {
      tree.add(path.steps, path.leaf);
      if (path.steps.some((s) => s.list)) list = true;
    }
    params.add(tree.render());
  }
  let variable = 0;
  const shape = template.parts
    .map((part) => {
      if (part.kind === 'literal') return templateText(part.text);
      const index = variable++;
      return `\${${unionSegment(variants.map((v) => v.paths[index]!.leaf))}}`;
    })
    .join('');
  return {
    format: template.format,
    template,
    uses: uniqueUses(variants.map((v) => v.use)),
    params: [...params],
    shape: `\`${shape}\``,
    list,
  };
}

/** Each use once (a format repeated on one field is one use), sorted. */
function uniqueUses(uses: readonly TemplateUse[]): TemplateUse[] {
  const byKey = new Map(uses.map((u) => [`${u.coordinate} @${u.directive}`, u]));
  return [...byKey.values()].sort((a, b) => byCodeUnits(a.coordinate, b.coordinate) || byCodeUnits(a.directive, b.directive));
}

/** The `tagTemplates` member of one format. */
export function renderTemplateBuilder(builder: TemplateBuilder): string {
  const param = builder.params.length === 1 ? builder.params[0]! : builder.params.map((p) => `(${p})`).join(' | ');
  const uses = builder.uses.map((u) => `\`@${u.directive}\` on ${u.coordinate}`).join(', ');
  const doc = [
    `/**`,
    ` * \`${commentText(builder.format)}\`: ${commentText(uses)}.`,
    ...(builder.list ? [` * Returns one tag per value of a list, as the engine does (none for an empty list).`] : []),
    ` */`,
  ];
  const key = quote(builder.format);
  if (builder.list) {
    const parts = builder.template.parts.map((p) => (p.kind === 'literal' ? quote(p.text) : `[${[p.source, ...p.path].map(quote).join(', ')}]`));
    return [...doc, `${key}: (values: ${param}): CacheTag<${builder.shape}>[] => fillAll(values, [${parts.join(', ')}]),`].join('\n');
  }
  // A format without variables builds one constant tag and takes nothing (an unused parameter fails noUnusedParameters).
  const parameter = builder.template.variables.length === 0 ? '' : `values: ${param}`;
  const text = builder.template.parts
    .map((p) => (p.kind === 'literal' ? templateText(p.text) : `\${segment(values.${[p.source, ...p.path].join('.')}, ${quote(p.text)})}`))
    .join('');
  return [...doc, `${key}: (${parameter}): CacheTag<${builder.shape}> => tag(\`${text}\`),`].join('\n');
}
