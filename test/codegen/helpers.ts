/** Running the plugin on SDL, writing its output where it can import the sources, and snapshots. */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, type GraphQLSchema } from 'graphql';
import { cacheDirectivesTypeDefs } from '../../src/index.js';
import { plugin, type CacheTagCodegenConfig } from '../../src/codegen/index.js';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** A schema as a server would build it: the cache directives declared, then the SDL. */
export function schemaOf(sdl: string): GraphQLSchema {
  return buildSchema(`${cacheDirectivesTypeDefs}\n${sdl}`);
}

/** The plugin's output for SDL. */
export async function generate(sdl: string, config: CacheTagCodegenConfig = {}): Promise<string> {
  const output = await plugin(schemaOf(sdl), [], config);
  assert.equal(typeof output, 'string');
  return output;
}

/**
 * A scratch directory outside the repository (so nothing left behind reaches
 * lint or git), removed after the test. Generated files there import the
 * sources by absolute path: see {@link sourcesEntry}.
 */
export function scratchDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'cachetag-codegen-'));
  // ES modules, as in the repository (and as the generated code's `import` needs under NodeNext).
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** `importFrom` for generated files outside the repository: the sources' entry point, by absolute path. */
export const sourcesEntry = join(repoRoot, 'src', 'index.js');

/** Generates `sdl` into `dir/name.ts`; returns the file's path. */
export async function generateInto(dir: string, name: string, sdl: string): Promise<string> {
  const file = join(dir, `${name}.ts`);
  writeFileSync(file, await generate(sdl, { importFrom: sourcesEntry }));
  return file;
}

const snapshotDir = fileURLToPath(new URL('./__snapshots__/', import.meta.url));

/**
 * Compares `actual` with the stored snapshot, exactly. `UPDATE_SNAPSHOTS=1`
 * rewrites it instead; a missing snapshot fails rather than being written
 * silently, so CI never accepts an output nobody looked at.
 */
export function assertSnapshot(name: string, actual: string): void {
  const file = join(snapshotDir, `${name}.ts.snap`);
  if (process.env.UPDATE_SNAPSHOTS === '1') {
    mkdirSync(snapshotDir, { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  assert.ok(existsSync(file), `no snapshot ${relative(repoRoot, file)}; run the tests with UPDATE_SNAPSHOTS=1 to write it, then review it`);
  assert.equal(
    actual,
    readFileSync(file, 'utf8'),
    `${relative(repoRoot, file)} differs; if the change is intended, run with UPDATE_SNAPSHOTS=1 and review the diff`,
  );
}
