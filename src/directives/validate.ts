/**
 * Validates the cache directives of a schema and compiles them into a
 * {@link CacheDirectives} model. Like graphql-js's `validateSchema`, it
 * collects every problem before reporting, so one build lists them all.
 * Each message names the coordinate and the directive, what was expected,
 * what was received, and the nearest valid name.
 */
import {
  getNamedType,
  isInterfaceType,
  isLeafType,
  isObjectType,
  isUnionType,
  parse,
  type GraphQLDirective,
  type GraphQLField,
  type GraphQLInterfaceType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { CacheTagSchemaError, type SchemaProblem } from '../errors.js';
import { didYouMean, quotedList } from '../internal/didYouMean.js';
import type { TagTemplate } from '../tags/template.js';
import { readDirective } from './read.js';
import { directiveNamesOf, type DirectiveNames } from './link.js';
import {
  cacheControlDirective,
  cacheKeyDirective,
  cacheNullDirective,
  cacheTagDirective,
  federationKeyDirective,
  invalidatesDirective,
  listScopeDirective,
} from './sdl.js';
import { compileListScope } from './listScope.js';
import type { CacheDirectives, CacheHint, CacheScope, FieldCacheInfo, ListScope, TypeCacheInfo } from './model.js';

export type { CacheDirectives, CacheHint, CacheScope, FieldCacheInfo, TypeCacheInfo } from './model.js';
import { objectTypesReachableFrom } from './reachableTypes.js';
import { compileTemplate } from './templateChecks.js';

export interface ValidateOptions {
  /** Whether the cache has a `sessionId` function; without one, `scope: PRIVATE` is a problem. */
  readonly hasSessionId: boolean;
}

/** Reads and checks every cache directive; returns the model and all problems found. */
export function validateCacheDirectives(schema: GraphQLSchema, options: ValidateOptions): { directives: CacheDirectives; problems: SchemaProblem[] } {
  const problems: SchemaProblem[] = [];
  const types = new Map<string, TypeCacheInfo>();
  const fields = new Map<string, FieldCacheInfo>();
  const listScopes = new Map<string, ListScope[]>();
  const rootNames = new Set([schema.getQueryType()?.name, schema.getMutationType()?.name, schema.getSubscriptionType()?.name].filter(Boolean) as string[]);
  const mutationType = schema.getMutationType();
  let mutationReach: Set<string> | undefined;
  const names = directiveNamesOf(schema);

  const namedTypes = Object.values(schema.getTypeMap()).filter((t) => !t.name.startsWith('__'));
  // Interfaces first, so object types can inherit their keys.
  namedTypes.sort((a, b) => Number(isObjectType(a)) - Number(isObjectType(b)));
  for (const type of namedTypes) {
    if (!isObjectType(type) && !isInterfaceType(type) && !isUnionType(type)) continue;
    const hint = readHint(type, type.name, problems, options, names);
    let keyFields: (readonly string[])[] | undefined;
    const tagTemplates: TagTemplate[] = [];
    if (isObjectType(type) || isInterfaceType(type)) {
      keyFields = readKeyFields(type, problems, names);
      if (!keyFields && isObjectType(type)) {
        for (const iface of type.getInterfaces()) {
          const inherited = types.get(iface.name)?.keyFields;
          if (inherited && inherited.every((path) => path[0]! in type.getFields())) {
            keyFields = inherited.map((p) => [...p]);
            break;
          }
        }
      }
    }
    if (isObjectType(type)) {
      for (const use of readDirective(type, cacheTagDirective, type.name, problems, names)) {
        const template = compileTemplate(
          use.values.format,
          { schema, coordinate: type.name, directive: 'cacheTag', name: use.name, location: use.location, type, keyFields },
          problems,
        );
        if (template) tagTemplates.push(template);
      }
    }
    types.set(type.name, { name: type.name, ...(keyFields ? { keyFields } : {}), ...(hint ? { hint } : {}), tagTemplates });
  }

  for (const type of namedTypes) {
    if (!isObjectType(type)) continue;
    const isRoot = rootNames.has(type.name);
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      const hint = readHint(field, coordinate, problems, options, names);
      const context = { schema, coordinate, type, field, isRoot };
      // The field's own directives, then those on the same field of its interfaces: they apply to every implementation
      // (tags are unioned, the field's own @listScope wins). @cacheControl is not inherited: Apollo reads only the
      // object type's field, and the Cache-Control header must stay Apollo's.
      const interfaceFields = type.getInterfaces().flatMap((i) => i.getFields()[field.name] ?? []);
      const read = (directive: GraphQLDirective) =>
        [field, ...interfaceFields].flatMap((element) => readDirective(element, directive, coordinate, problems, names));
      const tagTemplates: TagTemplate[] = [];
      for (const use of read(cacheTagDirective)) {
        const template = compileTemplate(use.values.format, { ...context, directive: 'cacheTag', name: use.name, location: use.location }, problems);
        if (template && !tagTemplates.some((t) => t.format === template.format)) tagTemplates.push(template);
      }
      const invalidates: TagTemplate[] = [];
      for (const use of read(invalidatesDirective)) {
        // Namespaced mutations (`Mutation.product: ProductMutations!`) write below the root: their fields may invalidate too.
        mutationReach ??= mutationType ? objectTypesReachableFrom(schema, mutationType) : new Set();
        if (!mutationReach.has(type.name)) {
          problems.push({
            coordinate,
            directive: 'invalidates',
            location: use.location,
            message: mutationType
              ? `${coordinate}: @invalidates is only allowed on fields of the mutation type (${mutationType.name}) and of types reachable from it; ${type.name} is not reachable from ${mutationType.name}.`
              : `${coordinate}: @invalidates is only allowed on fields of the mutation type, and this schema has no mutation type.`,
          });
          continue;
        }
        const template = compileTemplate(use.values.format, { ...context, directive: 'invalidates', name: use.name, location: use.location }, problems);
        if (template && !invalidates.some((t) => t.format === template.format)) invalidates.push(template);
      }
      const cacheNull = read(cacheNullDirective).length > 0;
      let listScope: ListScope | undefined;
      for (const use of read(listScopeDirective).slice(0, 1)) {
        listScope = compileListScope(use.values.filters, { schema, type, field, coordinate, isRoot, location: use.location }, problems);
        if (listScope) listScopes.set(listScope.itemType, [...(listScopes.get(listScope.itemType) ?? []), listScope]);
      }
      if (hint || tagTemplates.length || invalidates.length || cacheNull || listScope) {
        fields.set(coordinate, {
          coordinate,
          typeName: type.name,
          fieldName: field.name,
          ...(hint ? { hint } : {}),
          tagTemplates,
          invalidates,
          cacheNull,
          ...(listScope ? { listScope } : {}),
        });
      }
    }
  }
  return { directives: { types, fields, listScopes }, problems };
}

/** Like {@link validateCacheDirectives}, but throws one {@link CacheTagSchemaError} listing every problem. */
export function assertValidCacheDirectives(schema: GraphQLSchema, options: ValidateOptions): CacheDirectives {
  const { directives, problems } = validateCacheDirectives(schema, options);
  if (problems.length > 0) throw new CacheTagSchemaError(problems);
  return directives;
}

function readHint(
  element: GraphQLNamedType | GraphQLField<unknown, unknown>,
  coordinate: string,
  problems: SchemaProblem[],
  options: ValidateOptions,
  names: DirectiveNames,
): CacheHint | undefined {
  const uses = readDirective(element, cacheControlDirective, coordinate, problems, names);
  const use = uses[0];
  if (!use) return undefined;
  const { maxAge, scope, inheritMaxAge } = use.values as { maxAge?: unknown; scope?: unknown; inheritMaxAge?: unknown };
  const hint: { maxAge?: number; scope?: CacheScope; inheritMaxAge?: boolean } = {};
  if (maxAge !== undefined && maxAge !== null) {
    if (typeof maxAge !== 'number' || !Number.isInteger(maxAge) || maxAge < 0) {
      problems.push({
        coordinate,
        directive: 'cacheControl',
        location: use.location,
        message: `${coordinate}: @cacheControl(maxAge:) must be a whole number of seconds >= 0; received ${JSON.stringify(maxAge)}.`,
      });
    } else {
      hint.maxAge = maxAge;
    }
  }
  if (scope !== undefined && scope !== null) {
    if (scope !== 'PUBLIC' && scope !== 'PRIVATE') {
      problems.push({
        coordinate,
        directive: 'cacheControl',
        location: use.location,
        message: `${coordinate}: @cacheControl(scope:) must be PUBLIC or PRIVATE; received ${JSON.stringify(scope)}.`,
      });
    } else {
      hint.scope = scope;
      if (scope === 'PRIVATE' && !options.hasSessionId) {
        problems.push({
          coordinate,
          directive: 'cacheControl',
          location: use.location,
          message: `${coordinate}: @cacheControl(scope: PRIVATE) needs a sessionId function (createCache({ sessionId })) to keep each user's entries apart; none was given.`,
        });
      }
    }
  }
  if (inheritMaxAge === true) hint.inheritMaxAge = true;
  return hint;
}

function readKeyFields(type: GraphQLObjectType | GraphQLInterfaceType, problems: SchemaProblem[], names: DirectiveNames): (readonly string[])[] | undefined {
  for (const directive of [federationKeyDirective, cacheKeyDirective]) {
    const uses = readDirective(type, directive, type.name, problems, names);
    const use = uses.find((u) => u.values.resolvable !== false) ?? uses[0];
    if (!use) continue;
    const fields = String(use.values.fields ?? '');
    const report = (detail: string) =>
      problems.push({
        coordinate: type.name,
        directive: directive.name,
        location: use.location,
        message: `${type.name}: @${use.name}(fields: ${JSON.stringify(fields)}) ${detail}`,
      });
    let selectionSet: SelectionSetNode;
    try {
      selectionSet = (parse(`{${fields}}`, { noLocation: true }).definitions[0] as OperationDefinitionNode).selectionSet;
    } catch {
      report('is not a valid field selection; expected field names separated by spaces, such as "id" or "sku region".');
      return undefined;
    }
    const paths: string[][] = [];
    if (!collectKeyPaths(type, selectionSet, [], paths, report)) return undefined;
    if (paths.length === 0) {
      report('names no fields; expected at least one key field.');
      return undefined;
    }
    return paths;
  }
  return 'id' in type.getFields() ? [['id']] : undefined;
}

function collectKeyPaths(
  type: GraphQLObjectType | GraphQLInterfaceType,
  selectionSet: SelectionSetNode,
  prefix: string[],
  paths: string[][],
  report: (detail: string) => void,
): boolean {
  const available = Object.keys(type.getFields());
  for (const selection of selectionSet.selections) {
    if (selection.kind !== 'Field') {
      report('may only select fields.');
      return false;
    }
    const name = selection.name.value;
    const field = type.getFields()[name];
    if (!field) {
      report(
        `names field "${[...prefix, name].join('.')}", which ${type.name} does not have; expected one of ${quotedList(available)}.${didYouMean(name, available)}`,
      );
      return false;
    }
    const named = getNamedType(field.type);
    if (selection.selectionSet) {
      if (!isObjectType(named) && !isInterfaceType(named)) {
        report(`selects sub-fields of "${[...prefix, name].join('.')}", which is a ${named.name} with no fields.`);
        return false;
      }
      if (!collectKeyPaths(named, selection.selectionSet, [...prefix, name], paths, report)) return false;
    } else if (!isLeafType(named)) {
      report(`names "${[...prefix, name].join('.')}", which is a ${named.name} object; select its key fields, such as "${name} { id }".`);
      return false;
    } else {
      paths.push([...prefix, name]);
    }
  }
  return true;
}
