/**
 * Entity tag builders: `tags.Product({ id })` gives `Product:<id>` exactly as
 * the engine derives it from a Product value (`entityTag` in
 * tags/hierarchy.ts: key values in key-field order, each escaped), and
 * `tags.Product.all()` gives the type's prefix. Interfaces and unions with
 * entity members get a builder that dispatches on `__typename`, since the
 * engine tags an entity by its concrete type.
 */
import { isInterfaceType, isObjectType, isUnionType, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import type { TypeCacheInfo } from '../directives/validate.js';
import { byCodeUnits, commentText, quote, templateText } from './source.js';
import { ParamTree, typedPath, type LeafType } from './valueTypes.js';

/** An object type with key fields, ready to render. */
export interface EntityBuilder {
  readonly typeName: string;
  /** Key field paths in key-field order: `id`, `organization.id`. */
  readonly keys: readonly { readonly path: readonly string[]; readonly leaf: LeafType }[];
  /** The parameter type: the key fields, nested like the value. */
  readonly param: string;
  /** The template literal type of the tag: `` `Product:${string}` ``. */
  readonly shape: string;
}

/** An interface or union with at least one entity among its possible types. */
export interface AbstractEntityBuilder {
  readonly typeName: string;
  readonly kind: 'interface' | 'union';
  readonly members: readonly EntityBuilder[];
}

/** The entity builders of a schema, sorted by type name. */
export function entityBuilders(schema: GraphQLSchema, types: ReadonlyMap<string, TypeCacheInfo>): EntityBuilder[] {
  const builders: EntityBuilder[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const keyFields = types.get(type.name)?.keyFields;
    if (keyFields) builders.push(entityBuilder(type, keyFields));
  }
  return builders.sort((a, b) => byCodeUnits(a.typeName, b.typeName));
}

/** Builders for interfaces and unions, given the entity builders they dispatch to. */
export function abstractEntityBuilders(schema: GraphQLSchema, entities: readonly EntityBuilder[]): AbstractEntityBuilder[] {
  const byName = new Map(entities.map((e) => [e.typeName, e]));
  const builders: AbstractEntityBuilder[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !(isInterfaceType(type) || isUnionType(type))) continue;
    const members = schema
      .getPossibleTypes(type)
      .map((member) => byName.get(member.name))
      .filter((member): member is EntityBuilder => member !== undefined)
      .sort((a, b) => byCodeUnits(a.typeName, b.typeName));
    if (members.length > 0) builders.push({ typeName: type.name, kind: isUnionType(type) ? 'union' : 'interface', members });
  }
  return builders.sort((a, b) => byCodeUnits(a.typeName, b.typeName));
}

function entityBuilder(type: GraphQLObjectType, keyFields: readonly (readonly string[])[]): EntityBuilder {
  const tree = new ParamTree();
  const keys = keyFields.map((path) => {
    const { steps, leaf } = typedPath(type, path);
    // The engine reads key fields one value each (a list is no key), so lists are not offered.
    tree.add(
      steps.map((s) => ({ name: s.name, list: false })),
      leaf,
    );
    return { path, leaf };
  });
  const shape = '`' + [templateText(type.name), ...keys.map((k) => `\${${k.leaf.segment}}`)].join(':') + '`';
  return { typeName: type.name, keys, param: tree.render(), shape };
}

/** The expression building the tag of `entity` from the variable `value`. */
function tagExpression(entity: EntityBuilder, value: string): string {
  const segments = entity.keys.map((k) => `\${segment(${value}.${k.path.join('.')}, ${quote(`${entity.typeName}.${k.path.join('.')}`)})}`);
  return `tag(\`${[templateText(entity.typeName), ...segments].join(':')}\`)`;
}

/** The `tags` members of one entity type. */
export function renderEntityBuilder(entity: EntityBuilder): string {
  const keyList = entity.keys.map((k) => k.path.join('.')).join(', ');
  const placeholder = [entity.typeName, ...entity.keys.map((k) => `<${k.path.join('.')}>`)].join(':');
  return [
    `/**`,
    ` * The tag of one ${entity.typeName}, from its key field${entity.keys.length === 1 ? '' : 's'} (${keyList}): \`${commentText(placeholder)}\`.`,
    ` * Invalidating it invalidates every cached result holding this ${entity.typeName}, and every tag below it.`,
    ` */`,
    `${entity.typeName}: Object.assign((key: ${entity.param}): CacheTag<${entity.shape}> => ${tagExpression(entity, 'key')}, {`,
    `  /** \`${entity.typeName}\`: the prefix of every ${entity.typeName} tag; invalidating it invalidates them all. */`,
    `  all: (): CacheTag<${quote(entity.typeName)}> => tag(${quote(entity.typeName)}),`,
    `}),`,
  ].join('\n');
}

/** The `tags` member of one interface or union: dispatches on `__typename`. */
export function renderAbstractEntityBuilder(builder: AbstractEntityBuilder): string {
  // Each member's key object, with its __typename first: `{ readonly __typename: 'Product'; readonly id: ... }`.
  const param = builder.members.map((m) => `{ readonly __typename: ${quote(m.typeName)}; ${m.param.slice(2)}`).join(' | ');
  const result = builder.members.map((m) => `CacheTag<${m.shape}>`).join(' | ');
  const names = builder.members.map((m) => m.typeName);
  return [
    `/**`,
    ` * The tag of a ${builder.typeName} value, by its \`__typename\` (the engine tags an entity by its concrete type):`,
    ` * the ${builder.kind === 'union' ? 'members' : 'implementations'} with key fields are ${names.join(', ')}.`,
    ` */`,
    `${builder.typeName}: (value: ${param}): ${result} => {`,
    `  switch (value.__typename) {`,
    ...builder.members.flatMap((m) => [`    case ${quote(m.typeName)}:`, `      return ${tagExpression(m, 'value')};`]),
    `    default:`,
    `      throw new TypeError(\`tags.${builder.typeName}: __typename must be ${names.map((n) => templateText(JSON.stringify(n))).join(' or ')}; received \${String((value as { readonly __typename: unknown }).__typename)}.\`);`,
    `  }`,
    `},`,
  ].join('\n');
}
