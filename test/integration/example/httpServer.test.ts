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
  assert.equal(second.response.headers.get('surrogate-key'), 'Product Product:47 Product:47:reviews Review Review:15 Review:16', 'each tag with its ancestors');
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

test('the HTTP fast path answers a stored response byte for byte as Apollo would, and never after an invalidation', async () => {
  const query = `{ products(storeId: "2", category: "coffee") { id name price } }`;
  const post = () => fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  const viaApollo = await post();
  const apolloText = await viaApollo.text();
  await new Promise((resolve) => setTimeout(resolve, 30));
  const hitsBefore = await metric('cachetag_operation_hits_total');
  const callsBefore = await metric('example_datasource_calls_total');
  const fast = await post();
  assert.equal(await fast.text(), apolloText);
  assert.equal(fast.headers.get('content-type'), viaApollo.headers.get('content-type'));
  assert.equal(fast.headers.get('cache-control'), viaApollo.headers.get('cache-control'));
  assert.equal(fast.headers.get('surrogate-key'), viaApollo.headers.get('surrogate-key'));
  assert.equal(await metric('cachetag_operation_hits_total'), hitsBefore + 1);
  assert.equal(await metric('example_datasource_calls_total'), callsBefore);

  const [first] = (JSON.parse(apolloText) as { data: { products: { id: string }[] } }).data.products;
  await graphql(`mutation { updateProduct(id: "${first!.id}", input: { name: "Renamed coffee" }) { id name price category storeId } }`);
  const after = (await (await post()).json()) as { data: { products: { id: string; name: string }[] } };
  assert.equal(after.data.products.find((p) => p.id === first!.id)?.name, 'Renamed coffee');
});

test('unknown paths answer 404 and name the right ones', async () => {
  const response = await fetch(`${base}/nope`);
  assert.equal(response.status, 404);
  assert.match(await response.text(), /GraphQL is served at \/graphql/);
});
