/**
 * Writing TypeScript source text safely: literals built from schema text
 * (tag formats can hold quotes, backticks, `${` or `*\/`) must stay literals.
 */

/** A single-quoted string literal. */
export function quote(text: string): string {
  return `'${text
    .replace(/[\\']/g, '\\$&')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')}'`;
}

/** Text placed between the backticks of a template literal (a value or a type): backslashes, backticks and `${` escaped. */
export function templateText(text: string): string {
  return text.replace(/[\\`]/g, '\\$&').replace(/\$\{/g, '\\${');
}

/** Text placed inside a `/** ... *\/` comment, which must not end it early. */
export function commentText(text: string): string {
  return text.replace(/\*\//g, '*\\/');
}

/** Sorts by UTF-16 code units, so output never depends on the machine's locale. */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Indents every non-empty line of a block. */
export function indent(block: string, by = '  '): string {
  return block
    .split('\n')
    .map((line) => (line ? by + line : line))
    .join('\n');
}
