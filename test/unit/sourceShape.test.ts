/** Keeps the house rules for source files true as the code grows: none over 400 lines, each opening with a comment that says what it is and why. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const MAX_LINES = 400;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const files = sourceFiles(join(root, 'src')).map((path) => ({ name: relative(root, path), text: readFileSync(path, 'utf8') }));

test('the source tree is found', () => {
  assert.ok(files.length > 50, `expected the src/ tree, found ${files.length} files under ${root}`);
});

test(`no source file is over ${MAX_LINES} lines`, () => {
  const long = files.map((f) => ({ name: f.name, lines: f.text.split('\n').length - (f.text.endsWith('\n') ? 1 : 0) })).filter((f) => f.lines > MAX_LINES);
  assert.deepEqual(
    long.map((f) => `${f.name}: ${f.lines} lines`),
    [],
  );
});

test('every source file opens with a comment saying what it is', () => {
  // A CLI entry point keeps its shebang first; the comment follows it.
  const missing = files.filter((f) => !/^(#![^\n]*\n)?(\/\*\*?\s*\S|\/\/ *\S)/.test(f.text)).map((f) => f.name);
  assert.deepEqual(missing, []);
});
