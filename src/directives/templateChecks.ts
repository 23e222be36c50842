/**
 * Compiles one `@cacheTag` or `@invalidates` format and checks each of its variables against the schema (which
 * sources the directive allows, and that each path exists on the argument, parent, key or result type).
 */
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isObjectType,
  isUnionType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import { type SchemaProblem, type SourceLocation } from '../errors.js';
import { didYouMean, quotedList } from '../internal/didYouMean.js';
import { parseTagTemplate, type TagTemplate, type TemplateSource, type TemplateVariable } from '../tags/template.js';

export interface TemplateContext {
  readonly schema: GraphQLSchema;
  readonly coordinate: string;
  readonly directive: 'cacheTag' | 'invalidates';
  /** The directive's name as written, when a `@link` renamed it. */
  readonly name?: string;
  readonly location: SourceLocation | undefined;
  /** The object type holding the directive (type-level) or the field's parent type. */
  readonly type: GraphQLObjectType;
  readonly field?: GraphQLField<unknown, unknown>;
  readonly isRoot?: boolean;
  readonly keyFields?: readonly (readonly string[])[] | undefined;
}

export function compileTemplate(format: unknown, context: TemplateContext, problems: SchemaProblem[]): TagTemplate | undefined {
  const head = `${context.coordinate}: @${context.name ?? context.directive}(format: ${JSON.stringify(format)})`;
  const report = (detail: string) =>
    problems.push({ coordinate: context.coordinate, directive: context.directive, location: context.location, message: `${head} ${detail}` });
  if (typeof format !== 'string') {
    report(`expects a String; received ${JSON.stringify(format)}.`);
    return undefined;
  }
  const parsed = parseTagTemplate(format);
  if ('error' in parsed) {
    report(
      `is not a valid tag template: ${parsed.error}.${parsed.unknownSource ? didYouMean(parsed.unknownSource, ['$args', '$key', '$parent', '$result']) : ''}`,
    );
    return undefined;
  }
  const allowed = allowedSources(context);
  let ok = true;
  for (const variable of parsed.variables) {
    if (!allowed.sources.includes(variable.source)) {
      report(
        `uses {${variable.text}}, but ${variable.source} is not available in ${allowed.where}; use ${allowed.sources.length ? allowed.sources.join(' or ') : 'no variables'} there.`,
      );
      ok = false;
      continue;
    }
    const detail = checkVariable(variable, context);
    if (detail) {
      report(detail);
      ok = false;
    }
  }
  return ok ? parsed : undefined;
}

function allowedSources(context: TemplateContext): { sources: TemplateSource[]; where: string } {
  if (!context.field) return { sources: ['$key'], where: `@cacheTag on a type (only the type's key fields are known there)` };
  if (context.directive === 'invalidates') return { sources: ['$args', '$result'], where: '@invalidates' };
  return context.isRoot
    ? { sources: ['$args'], where: `@cacheTag on a field of the root type ${context.type.name}` }
    : { sources: ['$args', '$parent'], where: '@cacheTag on a field' };
}

function checkVariable(variable: TemplateVariable, context: TemplateContext): string | undefined {
  const [first, ...rest] = variable.path as [string, ...string[]];
  switch (variable.source) {
    case '$key': {
      const keys = (context.keyFields ?? []).map((p) => p.join('.'));
      if (keys.length === 0) {
        return `uses {${variable.text}}, but ${context.type.name} has no key fields; declare @key(fields: ...) or @cacheKey(fields: ...), or give it an "id" field.`;
      }
      const path = variable.path.join('.');
      return keys.includes(path)
        ? undefined
        : `uses {${variable.text}}, but "${path}" is not a key field of ${context.type.name}; expected one of ${quotedList(keys)}.${didYouMean(path, keys)}`;
    }
    case '$args': {
      const field = context.field!;
      const names = field.args.map((a) => a.name);
      const arg = field.args.find((a) => a.name === first);
      if (!arg) {
        return names.length
          ? `references argument "${first}", which ${context.coordinate} does not have; expected one of ${quotedList(names)}.${didYouMean(first, names)}`
          : `references argument "${first}", but ${context.coordinate} takes no arguments.`;
      }
      return walkInput(arg.type, first, rest, variable);
    }
    case '$parent':
      return walkOutput(context.type, [], variable.path, variable, 'the parent type');
    case '$result':
      return walkOutput(context.field!.type, [], variable.path, variable, 'the result');
  }
}

function walkInput(type: GraphQLInputType, pathSoFar: string, rest: readonly string[], variable: TemplateVariable): string | undefined {
  let named = getNamedType(type);
  let walked = pathSoFar;
  for (const segment of rest) {
    if (!isInputObjectType(named)) {
      return `references "${walked}.${segment}", but "${walked}" is a ${named.name}, which has no fields.`;
    }
    const fieldNames = Object.keys(named.getFields());
    const next = named.getFields()[segment];
    if (!next)
      return `references "${walked}.${segment}", but input type ${named.name} has no field "${segment}"; expected one of ${quotedList(fieldNames)}.${didYouMean(segment, fieldNames)}`;
    named = getNamedType(next.type);
    walked += `.${segment}`;
  }
  if (isInputObjectType(named)) {
    const first = Object.keys(named.getFields())[0] ?? 'id';
    return `references "${walked}", which is the input object ${named.name}; a template variable must name a scalar or enum value, such as {$${variable.source.slice(1)}.${walked}.${first}}.`;
  }
  return undefined;
}

function walkOutput(type: GraphQLOutputType, walked: string[], path: readonly string[], variable: TemplateVariable, what: string): string | undefined {
  let named = getNamedType(type);
  const seen: string[] = [...walked];
  for (const segment of path) {
    if (isUnionType(named))
      return `references "${[...seen, segment].join('.')}", but "${seen.join('.') || what}" is the union ${named.name}, whose members share no fields.`;
    if (!isObjectType(named) && !isInterfaceType(named)) {
      return `references "${[...seen, segment].join('.')}", but "${seen.join('.')}" is a ${named.name}, which has no fields.`;
    }
    const fieldNames = Object.keys(named.getFields());
    const next = named.getFields()[segment];
    if (!next) {
      return `references "${[...seen, segment].join('.')}", but ${named.name} has no field "${segment}"; expected one of ${quotedList(fieldNames)}.${didYouMean(segment, fieldNames)}`;
    }
    named = getNamedType(next.type);
    seen.push(segment);
  }
  if (!isLeafType(named) && !isEnumType(named)) {
    return `references "${seen.join('.')}", which is a ${named.name} object; a template variable must name a scalar or enum value, such as {${variable.text}.id}.`;
  }
  return undefined;
}
