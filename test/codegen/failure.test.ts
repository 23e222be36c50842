/**
 * Malformed cache directives fail generation with the runtime validator's
 * own `CacheTagSchemaError`, every problem listed, word for word: through the
 * plugin function, its `validate` hook, and the graphql-codegen CLI.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { buildASTSchema, concatAST, parse, Source } from 'graphql';
import { cacheDirectivesTypeDefs, CacheTagSchemaError, validateCacheDirectives } from '../../src/index.js';
import { plugin, validate } from '../../src/codegen/index.js';
import { repoRoot, scratchDir } from './helpers.js';

const broken = `type Query {
  products(storeId: ID!): [Product!]! @cacheControl(maxAge: -1) @cacheTag(format: "Store:{$args.storId}:products")
  me: Product @cacheControl(maxAge: 60, scope: PRIVATE)
}
type Product @cacheKey(fields: "sku") {
  id: ID!
}
`;

const expectedProblems = (file: string) => [
  `Product: @cacheKey(fields: "sku") names field "sku", which Product does not have; expected one of "id". (${file}, line 5, column 14)`,
  `Query.products: @cacheControl(maxAge:) must be a whole number of seconds >= 0; received -1. (${file}, line 2, column 39)`,
  `Query.products: @cacheTag(format: "Store:{$args.storId}:products") references argument "storId", which Query.products does not have; expected one of "storeId". Did you mean "storeId"? (${file}, line 2, column 65)`,
];

const expectedMessage = (file: string) =>
  `cachetag found 3 problems in the schema's cache directives:\n${expectedProblems(file)
    .map((p) => `  - ${p}`)
    .join('\n')}`;

/** The schema as codegen hands it over: the directives declared, the SDL read from a named file. */
const brokenSchema = () => buildASTSchema(concatAST([parse(cacheDirectivesTypeDefs), parse(new Source(broken, 'broken.graphql'))]));

test("the plugin and its validate hook throw the validator's CacheTagSchemaError", async () => {
  const schema = brokenSchema();
  const expected = { name: 'CacheTagSchemaError', code: 'SCHEMA_INVALID', message: expectedMessage('broken.graphql') };
  await assert.rejects(async () => plugin(schema, [], {}), expected);
  await assert.rejects(async () => validate(schema, [], {}, 'cache-tags.ts', []), expected);
  // The same text the server would throw at startup, from the same validator.
  const { problems } = validateCacheDirectives(schema, { hasSessionId: true });
  assert.equal(new CacheTagSchemaError(problems).message, expectedMessage('broken.graphql'));
});

test('scope: PRIVATE fails generation only when the server has no sessionId function (hasSessionId: false)', async () => {
  const schema = buildASTSchema(parse(`${cacheDirectivesTypeDefs}\ntype Query { me: String @cacheControl(maxAge: 60, scope: PRIVATE) }`, { noLocation: true }));
  assert.equal(typeof (await plugin(schema, [], {})), 'string');
  await assert.rejects(async () => plugin(schema, [], { hasSessionId: false }), {
    name: 'CacheTagSchemaError',
    message:
      "cachetag found 1 problem in the schema's cache directives:\n" +
      "  - Query.me: @cacheControl(scope: PRIVATE) needs a sessionId function (createCache({ sessionId })) to keep each user's entries apart; none was given.",
  });
});

test('the graphql-codegen CLI fails, prints every problem and writes nothing', async (t) => {
  const dir = scratchDir(t);
  const schemaFile = join(dir, 'broken.graphql');
  const output = join(dir, 'cache-tags.ts');
  writeFileSync(schemaFile, broken);
  const config = join(dir, 'codegen.ts');
  // The config sits outside the repository, so it names what it imports by absolute path.
  writeFileSync(
    config,
    `import { tsImport } from ${JSON.stringify(fileURLToPath(import.meta.resolve('tsx/esm/api')))};
import { cacheDirectivesTypeDefs } from ${JSON.stringify(join(repoRoot, 'src/directives/sdl.js'))};
export default {
  schema: [cacheDirectivesTypeDefs, ${JSON.stringify(schemaFile)}],
  pluginLoader: (name: string) => tsImport(name, ${JSON.stringify(pathToFileURL(join(repoRoot, 'codegen.ts')).href)}),
  generates: { ${JSON.stringify(output)}: { plugins: ['./src/codegen/index.ts'] } },
};
`,
  );
  const cli = join(repoRoot, 'node_modules', '.bin', 'graphql-codegen');
  const failure = await promisify(execFile)(cli, ['--config', config], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1', CI: '1' } }).then(
    () => assert.fail('graphql-codegen succeeded on a broken schema'),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
  assert.equal(failure.code, 1);
  // The CLI wraps the message in its own text, with its own indentation on the first line only.
  const printed = `${failure.stdout}\n${failure.stderr}`;
  assert.ok(printed.includes(`Plugin "./src/codegen/index.ts" validation failed:`), printed);
  assert.ok(printed.includes(expectedMessage(schemaFile)), printed);
  assert.equal(existsSync(output), false);
});
