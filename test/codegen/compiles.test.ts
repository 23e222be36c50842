/**
 * The generated module type-checks, for the shop and every corner case, under
 * the repository's compiler options plus the strictest optional ones a user
 * may have (so no `any`, no unused helper, no implicit return slips in); the
 * types reject what they exist to reject (hand-written tags, misspelt
 * formats, missing key fields); and the shop's own use of the committed
 * output is part of `npm run typecheck`.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { fixtures, type FixtureName } from './fixtures.js';
import { generateInto, repoRoot, scratchDir } from './helpers.js';

function compilerOptions(extra: ts.CompilerOptions = {}): { options: ts.CompilerOptions; fileNames: string[] } {
  const configFile = ts.readConfigFile(join(repoRoot, 'tsconfig.json'), (path) => ts.sys.readFile(path));
  const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, repoRoot);
  return { options: { ...parsed.options, ...extra, noEmit: true }, fileNames: parsed.fileNames };
}

/** Diagnostics of `files` only: the library's own sources are checked by `npm run typecheck` under its own options. */
function diagnosticsOf(files: readonly string[], options: ts.CompilerOptions): string[] {
  const program = ts.createProgram({ rootNames: [...files], options });
  // Checked file by file: asking for the whole program's diagnostics would type-check every source file the
  // generated modules import, only to filter those diagnostics out.
  return files
    .flatMap((file) => ts.getPreEmitDiagnostics(program, program.getSourceFile(file)))
    .filter((d) => d.file && files.includes(d.file.fileName))
    .map((d) => {
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      return `${basename(d.file!.fileName)}:${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
}

const strictest: ts.CompilerOptions = {
  noUnusedLocals: true,
  noUnusedParameters: true,
  noImplicitReturns: true,
  noFallthroughCasesInSwitch: true,
  noPropertyAccessFromIndexSignature: true,
  exactOptionalPropertyTypes: true,
};

const usage = `
import { cachePolicies, createTypedInvalidate, tags, tagTemplates, type CacheTag, type TagInvalidator } from './shop.js';
import { tags as keyed, tagTemplates as keyedTemplates } from './compositeKeys.js';
import { tags as nested } from './nestedKeys.js';
import { tags as abstract } from './interfacesAndUnions.js';
import { tagTemplates as lists } from './enumsAndLists.js';
import { tagTemplates as constant, type CacheTag as ConstantTag } from './constantTemplates.js';

export async function use(cache: TagInvalidator): Promise<void> {
  const invalidate = createTypedInvalidate(cache);
  await invalidate(tags.Product({ id: 'p1' }));
  await invalidate([tags.Store.all(), tagTemplates['Store:{$args.storeId}:products']({ $args: { storeId: 2 } })]);
  // @ts-expect-error a hand-written string is not a CacheTag
  await invalidate('Product:1');
  // @ts-expect-error a misspelt format names no builder
  await invalidate(tagTemplates['Store:{$args.storId}:products']({ $args: { storeId: 2 } }));
  // @ts-expect-error the key field is missing
  tags.Product({});
  // @ts-expect-error a tag of one shape is not a tag of another
  const store: CacheTag<\`Store:\${string}\`> = tags.Product({ id: 1 });
  const maxAge: 120 = cachePolicies['Query.product'].maxAge;
  const scope: 'PRIVATE' = cachePolicies['Query.me'].scope;

  const variant: \`Variant:\${string}:\${'EU' | 'US'}\` = keyed.Variant({ sku: 's', region: 'EU' });
  // @ts-expect-error not a Region
  keyed.Variant({ sku: 's', region: 'ASIA' });
  const shelves: string = keyedTemplates['Aisle:{$key.aisle}:shelves']({ $key: { aisle: 3 } });
  nested.Membership({ organization: { id: 1 }, user: { id: 'u' }, role: 'admin' });
  // @ts-expect-error nested key fields are nested parameters
  nested.Membership({ organizationId: 1, userId: 'u', role: 'admin' });
  abstract.SearchResult({ __typename: 'Gift', sku: 'g' });
  // @ts-expect-error Note has no key fields, so it makes no tag
  abstract.SearchResult({ __typename: 'Note', text: 'n' });
  const listed: readonly CacheTag[] = [];
  const many: readonly string[] = lists['Product:{$args.ids}:listed']({ $args: { ids: ['a', 2] } });
  // @ts-expect-error a list argument takes a list
  lists['Product:{$args.ids}:listed']({ $args: { ids: 'a' } });
  // @ts-expect-error not a Category
  lists['Category:{$args.category}']({ $args: { category: 'MILK' } });
  // A template without variables takes no values.
  const catalog: ConstantTag<'Catalog'> = constant['Catalog']();
  // @ts-expect-error it takes no values
  constant['Search:all']({});
  console.log(store, maxAge, scope, variant, shelves, listed, many, catalog);
}
`;

test('the generated module type-checks under strict options, and its types reject misuse', async (t) => {
  const dir = scratchDir(t);
  const files = await Promise.all((Object.keys(fixtures) as FixtureName[]).map((name) => generateInto(dir, name, fixtures[name])));
  const usageFile = join(dir, 'usage.ts');
  writeFileSync(usageFile, usage);
  assert.deepEqual(diagnosticsOf([...files, usageFile], compilerOptions(strictest).options), []);
});

test("the shop's tags.ts uses the committed output, and `npm run typecheck` covers both", () => {
  const { options, fileNames } = compilerOptions();
  const files = ['schema-examples/shop/tags.ts', 'schema-examples/shop/generated/cache-tags.ts', 'schema-examples/shop/generated/resolvers-types.ts'].map(
    (file) => join(repoRoot, file),
  );
  for (const file of files) assert.ok(fileNames.includes(file), `tsconfig.json does not include ${relative(repoRoot, file)}`);
  assert.deepEqual(diagnosticsOf(files, options), []);
});
