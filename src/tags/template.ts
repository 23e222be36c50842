/**
 * Tag templates, in Apollo Federation's `@cacheTag` syntax:
 * `"Store:{$args.storeId}:products"`, `"{$key.id}"`, plus `{$parent.field}`
 * (a field of the parent object) and `{$result.field}` (in `@invalidates`).
 *
 * Filling a template escapes every value (see `escapeTagSegment`), and a
 * list value expands into one tag per element, so
 * `Product:{$args.ids}` with `ids: [1, 2]` gives `Product:1` and `Product:2`.
 */
import { isValidTag, MAX_TAG_LENGTH, TAG_SEPARATOR, valueSegment } from './hierarchy.js';
import { readProperty } from '../internal/readPath.js';

/** Where a template variable takes its value from. */
export type TemplateSource = '$args' | '$key' | '$parent' | '$result';
export const templateSources: readonly TemplateSource[] = ['$args', '$key', '$parent', '$result'];

export type TemplatePart = { readonly kind: 'literal'; readonly text: string } | TemplateVariable;

export interface TemplateVariable {
  readonly kind: 'variable';
  readonly source: TemplateSource;
  /** Path below the source: `{$args.input.storeId}` has path `["input", "storeId"]`. */
  readonly path: readonly string[];
  /** The variable as written, without braces: `$args.input.storeId`. */
  readonly text: string;
}

/** A parsed template. */
export interface TagTemplate {
  readonly format: string;
  readonly parts: readonly TemplatePart[];
  readonly variables: readonly TemplateVariable[];
}

/** Values a template is filled with, by source. */
export type TemplateValues = Partial<Record<TemplateSource, unknown>>;

/** The outcome of filling a template. */
export type FilledTemplate =
  | { readonly ok: true; readonly tags: string[] }
  /**
   * No sound tag could be made: a variable had no usable value (absent, null, an object: `reason` `'missing'`), or
   * its value makes a tag longer than `MAX_TAG_LENGTH` (`'too-long'`). `variable` is the variable's text.
   */
  | { readonly ok: false; readonly variable: string; readonly reason: 'missing' | 'too-long' };

/** Parses a format string; returns a description of the first syntax error instead of throwing. */
export function parseTagTemplate(format: string): TagTemplate | { error: string; unknownSource?: string } {
  const parts: TemplatePart[] = [];
  const variables: TemplateVariable[] = [];
  let literal = '';
  for (let i = 0; i < format.length; i++) {
    const char = format[i]!;
    if (char === '}') return { error: `"}" at position ${i} has no matching "{"` };
    if (char !== '{') {
      literal += char;
      continue;
    }
    const close = format.indexOf('}', i + 1);
    if (close === -1) return { error: `"{" at position ${i} is never closed` };
    const text = format.slice(i + 1, close).trim();
    if (text.includes('{')) return { error: `"{" at position ${i} is never closed` };
    const [source, ...path] = text.split('.');
    if (!source || !source.startsWith('$') || path.length === 0 || path.some((p) => !/^[_A-Za-z][_0-9A-Za-z]*$/.test(p))) {
      return { error: `"{${text}}" is not a variable; variables look like {$args.name}, {$key.name}, {$parent.name} or {$result.name}` };
    }
    if (!(templateSources as readonly string[]).includes(source)) {
      return { error: `unknown variable source "${source}"; expected one of $args, $key, $parent, $result`, unknownSource: source };
    }
    if (literal) parts.push({ kind: 'literal', text: literal });
    literal = '';
    const variable: TemplateVariable = { kind: 'variable', source: source as TemplateSource, path, text };
    parts.push(variable);
    variables.push(variable);
    i = close;
  }
  if (literal) parts.push({ kind: 'literal', text: literal });
  const sample = parts.map((p) => (p.kind === 'literal' ? p.text : 'x')).join('');
  if (!isValidTag(sample)) {
    return { error: `it does not make a valid tag when filled in ("${sample}": tags are non-empty ":"-separated segments, none of them empty)` };
  }
  return { format, parts, variables };
}

/** Fills a template. Never throws. */
export function fillTagTemplate(template: TagTemplate, values: TemplateValues): FilledTemplate {
  let tags: string[] = [''];
  let longest = { length: -1, variable: '' };
  for (const part of template.parts) {
    if (part.kind === 'literal') {
      for (let i = 0; i < tags.length; i++) tags[i] += part.text;
      continue;
    }
    const segments = segmentsOf(readListPath(values[part.source], part.path));
    if (segments === undefined || segments.length === 0) return { ok: false, variable: part.text, reason: 'missing' };
    for (const segment of segments) {
      if (segment.length > longest.length) longest = { length: segment.length, variable: part.text };
    }
    if (segments.length === 1) {
      for (let i = 0; i < tags.length; i++) tags[i] += segments[0]!;
    } else {
      const expanded: string[] = [];
      for (const tag of tags) for (const segment of segments) expanded.push(tag + segment);
      tags = expanded;
    }
  }
  // Values are escaped and non-empty, so the length is the one way a filled tag can be invalid: never dropped silently.
  for (const tag of tags) if (!isValidTag(tag)) return { ok: false, variable: longest.variable, reason: 'too-long' };
  return { ok: true, tags };
}

/** Why a template could not be filled, for warnings: `has no value for {$args.id}`, or the length it would exceed. */
export function describeUnfilled(filled: { readonly variable: string; readonly reason: 'missing' | 'too-long' }): string {
  return filled.reason === 'missing'
    ? `has no value for {${filled.variable}}`
    : `makes a tag longer than ${MAX_TAG_LENGTH} characters with the value of {${filled.variable}}`;
}

/**
 * The literal head of a template, cut back to whole segments:
 * `"Store:{$args.storeId}:products"` gives `"Store"`. Invalidating it covers
 * every tag the template could produce, which makes it the safe fallback when
 * a variable has no value. Undefined when the template starts with a variable.
 */
export function literalPrefix(template: TagTemplate): string | undefined {
  const first = template.parts[0];
  if (!first || first.kind !== 'literal') return undefined;
  if (template.parts.length === 1) return first.text;
  const cut = first.text.lastIndexOf(TAG_SEPARATOR);
  return cut > 0 ? first.text.slice(0, cut) : undefined;
}

/** A path through a value, lists flattened on the way (`$result.items.id` is every item's id). */
function readListPath(root: unknown, path: readonly string[]): unknown {
  let value = root;
  for (const key of path) {
    if (Array.isArray(value)) {
      value = value.flatMap((item) => {
        const v = readProperty(item, key);
        return Array.isArray(v) ? v : [v];
      });
    } else if (value !== null && typeof value === 'object') {
      value = readProperty(value, key);
    } else {
      return undefined;
    }
  }
  return value;
}

function segmentsOf(value: unknown): string[] | undefined {
  if (Array.isArray(value)) {
    const out: string[] = [];
    for (const item of value) {
      const segment = valueSegment(item);
      if (segment === undefined) return undefined;
      if (!out.includes(segment)) out.push(segment);
    }
    return out;
  }
  const segment = valueSegment(value);
  return segment === undefined ? undefined : [segment];
}
