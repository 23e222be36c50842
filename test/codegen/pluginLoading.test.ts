/**
 * `plugins: ['cachetag/codegen']` works as graphql-codegen resolves plugins:
 * by package name from the config's directory, through the package's
 * `exports`, then `import()`. The package maps `./codegen` to the compiled
 * `dist/codegen/index.js`; here a stand-in package maps it to the sources.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { executeCodegen } from '@graphql-codegen/cli';
import { cacheDirectivesTypeDefs } from '../../src/index.js';
import { fixtures } from './fixtures.js';
import { generate, repoRoot, scratchDir } from './helpers.js';

test('graphql-codegen loads the plugin by its package name', async (t) => {
  const dir = scratchDir(t);
  const packageDir = join(dir, 'node_modules', 'cachetag');
  mkdirSync(packageDir, { recursive: true });
  writeFileSync(join(packageDir, 'package.json'), JSON.stringify({ name: 'cachetag', type: 'module', exports: { './codegen': './codegen.ts' } }));
  writeFileSync(join(packageDir, 'codegen.ts'), `export * from ${JSON.stringify(join(repoRoot, 'src/codegen/index.js'))};\n`);

  const { result, error } = await executeCodegen({
    cwd: dir,
    silent: true,
    schema: [cacheDirectivesTypeDefs, join(repoRoot, 'schema-examples/shop/schema.graphql')],
    generates: { 'cache-tags.ts': { plugins: ['cachetag/codegen'] } },
  });
  assert.equal(error, null);
  assert.equal(result.length, 1);
  assert.equal(result[0]!.content, await generate(fixtures.shop));
});

test('the package exports ./codegen from the compiled sources, and needs codegen packages only for types', () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    exports: Record<string, unknown>;
    peerDependenciesMeta: Record<string, { optional?: boolean }>;
  };
  assert.deepEqual(pkg.exports['./codegen'], { types: './dist/codegen/index.d.ts', default: './dist/codegen/index.js' });
  const build = JSON.parse(readFileSync(join(repoRoot, 'tsconfig.build.json'), 'utf8')) as { compilerOptions: { rootDir: string; outDir: string } };
  assert.deepEqual([build.compilerOptions.rootDir, build.compilerOptions.outDir], ['src', 'dist']);
  assert.equal(pkg.peerDependenciesMeta['@graphql-codegen/plugin-helpers']?.optional, true);
  for (const file of readdirSync(join(repoRoot, 'src/codegen'))) {
    const source = readFileSync(join(repoRoot, 'src/codegen', file), 'utf8');
    for (const line of source.split('\n').filter((l) => /from '@graphql-codegen\//.test(l))) {
      assert.match(line, /^import type /, `src/codegen/${file} imports a codegen package at run time: ${line}`);
    }
  }
});
