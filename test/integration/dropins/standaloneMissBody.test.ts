/**
 * A miss of the standalone drop-in's fast path hands Apollo the body the fast path read instead of letting body-parser
 * read it again: these pin what body-parser guaranteed. Apollo (and req.body) get a freshly parsed value, whatever the
 * context function did to the first; the bytes put back into the request are drained, so a keep-alive connection goes
 * on serving after a miss of a body larger than the stream's buffer; and bodies the fast path does not parse still
 * reach body-parser and are answered as Apollo's standalone server answers them.
 */
import assert from 'node:assert/strict';
import { request as httpRequest, Agent } from 'node:http';
import { after, before, test } from 'node:test';
import { startStandaloneServer as apolloStandalone } from '@apollo/server/standalone';
import { startStandaloneServer } from '../../../src/apollo/standalone.js';
import { shopApollo, type ShopApollo } from '../../helpers/integrationSuite.js';

process.env.NODE_ENV = 'test';

let fast: { shop: ShopApollo; url: string; bodiesSeen: unknown[] };
let slow: { shop: ShopApollo; url: string };

before(async () => {
  const shop = shopApollo();
  const bodiesSeen: unknown[] = [];
  const { url } = await startStandaloneServer(shop.apollo, {
    cache: shop.plugin,
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => {
      const body = (req as { body?: { variables?: Record<string, unknown> } }).body;
      bodiesSeen.push(body);
      // A context function that scribbles on the body it is shown: Apollo must still execute what was sent.
      if (body?.variables && 'scribble' in body.variables) body.variables.id = 'scribbled';
      return shop.context(undefined);
    },
  });
  fast = { shop, url, bodiesSeen };
  const slowShop = shopApollo();
  const slowUrl = (await apolloStandalone(slowShop.apollo, { listen: { port: 0, host: '127.0.0.1' }, context: async () => slowShop.context(undefined) })).url;
  slow = { shop: slowShop, url: slowUrl };
});
after(async () => {
  await fast.shop.apollo.stop();
  await slow.shop.apollo.stop();
});

/** Sends POSTs one after the other on one keep-alive connection; answers status and body of each. */
async function postAll(url: string, bodies: string[], contentType = 'application/json'): Promise<{ status: number; text: string }[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const sockets = new Set<unknown>();
  try {
    const out: { status: number; text: string }[] = [];
    for (const body of bodies) {
      out.push(
        await new Promise((resolve, reject) => {
          const req = httpRequest(
            url,
            { method: 'POST', agent, headers: { 'content-type': contentType, 'content-length': Buffer.byteLength(body) } },
            (res) => {
              sockets.add(res.socket);
              let text = '';
              res.setEncoding('utf8');
              res.on('data', (chunk: string) => (text += chunk));
              // The error page's stack trace names the files each server runs (they differ): only its message is compared.
              res.on('end', () => resolve({ status: res.statusCode ?? 0, text: text.replace(/<br> &nbsp; &nbsp;at .*<\/pre>/, '</pre>') }));
            },
          );
          req.setTimeout(5000, () => req.destroy(new Error('no answer within 5 s: the connection is stuck')));
          req.on('error', reject);
          req.end(body);
        }),
      );
    }
    assert.equal(sockets.size, 1, 'one connection served every request');
    return out;
  } finally {
    agent.destroy();
  }
}

const page = 'query Page($id: ID!) { product(id: $id) { name price } }';

test('misses of bodies larger than the stream buffer, one after the other on one keep-alive connection, are answered as Apollo answers them', async () => {
  // Each body differs (so each misses) and is ~200 KB (far above the request stream's 16 KiB buffer).
  const bodies = [1, 2, 3].map((n) => JSON.stringify({ query: page, variables: { id: '42', pad: `${n}`.repeat(200_000) } }));
  const calls = fast.shop.calls.count;
  const [got, expected] = [await postAll(fast.url, bodies), await postAll(slow.url, bodies)];
  assert.deepEqual(got, expected);
  assert.equal(got[0]!.status, 200);
  assert.equal(fast.shop.calls.count - calls, 3, 'every one went through Apollo');
});

test('Apollo executes the body as sent, even when the context function changed the parsed body it was shown', async () => {
  const body = JSON.stringify({ query: page, variables: { id: '42', scribble: true } });
  const [got, expected] = [await postAll(fast.url, [body]), await postAll(slow.url, [body])];
  assert.deepEqual(got, expected);
  assert.match(got[0]!.text, /"data":\{"product":\{/);
  // The context function was shown a body, and changed it: Apollo did not see the change.
  const seen = fast.bodiesSeen.at(-1) as { variables: { id: string } };
  assert.equal(seen.variables.id, 'scribbled');
});

test('bodies the fast path does not parse to an object still reach body-parser, answered as Apollo answers them', async () => {
  const bodies = [
    '{"query": "{ product(id: \\"42\\") { name } }"',
    '[{"query":"{ product(id: \\"42\\") { name } }"}]',
    '"a string"',
    '\uFEFF{"query":"{ product(id: \\"1\\") { name } }"}',
  ];
  for (const body of bodies) {
    const [got, expected] = [await postAll(fast.url, [body]), await postAll(slow.url, [body])];
    assert.deepEqual(got, expected, body);
  }
  const latin1 = [JSON.stringify({ query: '{ product(id: "42") { name } }' })];
  assert.deepEqual(await postAll(fast.url, latin1, 'application/json; charset=latin1'), await postAll(slow.url, latin1, 'application/json; charset=latin1'));
});
