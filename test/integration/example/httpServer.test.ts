/** The README's main command, end to end: the example server as a child process, driven over real HTTP. */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { after, before, test } from 'node:test';

let child: ChildProcess;
let base: string;

before(async () => {
  child = spawn(process.execPath, ['--import', 'tsx', 'schema-examples/shop/server.ts'], {
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8');
  base = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: string) => {
      output += chunk;
      const match = /GraphQL\s+(http:\/\/127\.0\.0\.1:\d+)\/graphql/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the example server exited with ${code}: ${output}`)));
  });
});

after(async () => {
  child.kill('SIGTERM');
  await once(child, 'exit');
});

async function graphql(query: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  return {
    response,
    body: (await response.json()) as {
      data?: Record<string, { price?: number }>;
      extensions?: { cachetag?: { operation?: { outcome: string; reason?: string; stored?: boolean }; fields: { outcome: string }[] } };
    },
  };
}

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(name))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

test('query, cached query, mutation, fresh query over HTTP, with the counts in /metrics', async () => {
  const query = `{ product(id: "47") { name price reviews { rating } } }`;
  const first = await graphql(query, { 'x-cachetag-debug': '1' });
  assert.equal(first.response.status, 200);
  assert.deepEqual(
    first.body.extensions?.cachetag?.fields.map((f) => f.outcome),
    ['miss', 'miss'],
  );
  assert.equal(first.body.extensions?.cachetag?.operation?.outcome, 'miss');
  assert.equal(first.body.extensions?.cachetag?.operation?.stored, true);
  assert.equal(await metric('example_datasource_calls_total'), 2);

  // The same query again: answered by the operation tier, without executing anything.
  const second = await graphql(query, { 'x-cachetag-debug': '1' });
  assert.equal(second.body.extensions?.cachetag?.operation?.outcome, 'hit');
  assert.deepEqual(second.body.extensions?.cachetag?.fields, []);
  assert.deepEqual(second.body.data, first.body.data);
  assert.equal(await metric('example_datasource_calls_total'), 2, 'no data-source call for the cached query');
  assert.equal(await metric('cachetag_operation_hits_total'), 1);
  assert.equal(await metric('cachetag_misses_total'), 2);
  assert.equal(second.response.headers.get('surrogate-key'), 'Product:47 Product:47:reviews Review:15 Review:16');
  assert.equal(second.response.headers.get('cache-control'), 'max-age=60, public');

  // Another query over the same fields: no stored response for it, but every field hits.
  const other = await graphql(
    `
      {
        product(id: "47") {
          price
          reviews {
            rating
            body
          }
        }
      }
    `,
    { 'x-cachetag-debug': '1' },
  );
  assert.deepEqual(
    other.body.extensions?.cachetag?.fields.map((f) => f.outcome),
    ['hit', 'hit'],
  );
  assert.equal(await metric('cachetag_hits_total'), 2);
  assert.equal(await metric('example_datasource_calls_total'), 2);

  await graphql(`
    mutation {
      updateProduct(id: "47", input: { price: 42 }) {
        id
      }
    }
  `);
  const fresh = await graphql(query, { 'x-cachetag-debug': '1' });
  assert.equal(fresh.body.data?.product?.price, 42);
  assert.equal(fresh.body.extensions?.cachetag?.operation?.reason, 'stale', 'the stored response contained Product:47');
  const plain = await graphql(query);
  assert.equal(plain.body.data?.product?.price, 42);
  assert.equal(plain.body.extensions, undefined, 'no debug output without the header');
});

test('unknown paths answer 404 and name the right ones', async () => {
  const response = await fetch(`${base}/nope`);
  assert.equal(response.status, 404);
  assert.match(await response.text(), /GraphQL is served at \/graphql/);
});
