/** `npm run demo` step 2 is answered by the operation tier: the demo prints that outcome instead of nothing. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { promisify } from 'node:util';

test('demo step 2 prints the operation hit that answered it', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'schema-examples/shop/demo.ts'], { timeout: 60_000 });
  const step2 = stdout.split('\n== ')[2]!;
  assert.match(step2, /^2\. /);
  assert.match(step2, /\n {3}operation hit \(the stored response; no field ran\) {2}tags: .*Product:42/);
  assert.match(step2, /\n {3}data-source calls: 0 /);
  const step1 = stdout.split('\n== ')[1]!;
  assert.match(step1, /\n {3}operation miss /);
});

test('npm start serves the example, as npm run example does', async () => {
  const { scripts } = JSON.parse(await readFile('package.json', 'utf8')) as { scripts: Record<string, string> };
  assert.equal(scripts.start, scripts.example);
});
