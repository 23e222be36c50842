/**
 * Tag values that are not header characters (`€`) or that hold a separator (`a b`) reach the tags header
 * percent-encoded, through Apollo and through the example's fast path: the response never fails, and one tag stays
 * one CDN key. The header lists every tag's ancestors too, so a purge by `Store:1` or by a type name matches.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createShop, type Shop } from '../../../schema-examples/shop/app.js';
import { encodeTagForHeader, tagsHeaderValue } from '../../../src/index.js';

const servers: { shop: Shop; base: string; fastPath: boolean }[] = [];
before(async () => {
  for (const fastPath of [true, false]) {
    const shop = await createShop({ fastPath });
    const { port } = await shop.listen(0);
    servers.push({ shop, base: `http://127.0.0.1:${port}`, fastPath });
  }
});
after(async () => {
  for (const { shop } of servers) await shop.stop();
});

async function post(base: string, query: string) {
  const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return { status: response.status, tags: response.headers.get('surrogate-key'), body: await response.text() };
}

test('encodeTagForHeader percent-encodes every byte outside A-Z a-z 0-9 - . _ ~ :, reversibly', () => {
  assert.equal(encodeTagForHeader('Product:42'), 'Product:42');
  assert.equal(encodeTagForHeader('Product:€'), 'Product:%E2%82%AC');
  assert.equal(encodeTagForHeader('Product:a b'), 'Product:a%20b');
  assert.equal(encodeTagForHeader('Product:a,b%20'), 'Product:a%2Cb%2520');
  for (const tag of ['Product:€', 'Product:a b', 'Product:a%20b', 'Store:1:products', 'x\u0000y"\n']) {
    assert.equal(decodeURIComponent(encodeTagForHeader(tag)), tag);
    assert.match(encodeTagForHeader(tag), /^[A-Za-z0-9\-._~:%]+$/);
  }
  assert.equal(tagsHeaderValue(['Store:1:products', 'Product:a b']), 'Store Store:1 Store:1:products Product Product:a%20b');
});

for (const fastPath of [true, false]) {
  test(`${fastPath ? 'the fast path' : 'Apollo'}: ids that are not header characters are encoded, every time`, async () => {
    const { base } = servers.find((s) => s.fastPath === fastPath)!;
    for (let round = 0; round < 3; round++) {
      const euro = await post(base, `{ product(id: "€") { name } }`);
      assert.equal(euro.status, 200, euro.body);
      assert.equal(euro.body, '{"data":{"product":null}}\n');
      assert.equal(euro.tags, 'Product Product:%E2%82%AC');
      const spaced = await post(base, `{ product(id: "a b") { name } }`);
      assert.equal(spaced.status, 200, spaced.body);
      assert.equal(spaced.tags, 'Product Product:a%20b', 'one tag, one CDN key');
    }
  });

  test(`${fastPath ? 'the fast path' : 'Apollo'}: the tags header lists every ancestor of every tag`, async () => {
    const { base, shop } = servers.find((s) => s.fastPath === fastPath)!;
    for (let round = 0; round < 2; round++) {
      const result = await post(base, `{ store(id: "1") { name products { name } } }`);
      await shop.cache.idle();
      const tags = new Set(result.tags?.split(' '));
      for (const ancestor of ['Store', 'Store:1', 'Store:1:products', 'Product']) assert.ok(tags.has(ancestor), `${ancestor} in ${result.tags}`);
    }
  });
}

test("a Cache-Tag header (Cloudflare, Akamai's Edge-Cache-Tag) is comma-separated; Surrogate-Key and other names, space-separated", () => {
  assert.equal(tagsHeaderValue(['Store:1:products', 'Product:a b'], 'Cache-Tag'), 'Store,Store:1,Store:1:products,Product,Product:a%20b');
  assert.equal(tagsHeaderValue(['Product:1'], 'edge-cache-tag'), 'Product,Product:1');
  assert.equal(tagsHeaderValue(['Product:1'], 'Surrogate-Key'), 'Product Product:1');
  assert.equal(tagsHeaderValue(['Product:1'], 'X-Tags'), 'Product Product:1');
});

for (const fastPath of [true, false]) {
  test(`${fastPath ? 'the fast path' : 'Apollo'}: tagsHeader 'Cache-Tag' sends one comma-separated list Cloudflare can purge by`, async () => {
    const shop = await createShop({ fastPath, plugin: { tagsHeader: 'Cache-Tag' } });
    try {
      const { port } = await shop.listen(0);
      for (let round = 0; round < 2; round++) {
        const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: `{ store(id: "1") { name products { name } } product(id: "a b") { name } }` }),
        });
        assert.equal(response.status, 200);
        await shop.cache.idle();
        const header = response.headers.get('cache-tag') ?? '';
        assert.doesNotMatch(header, / /, `no space in ${header}`);
        const tags = new Set(header.split(','));
        for (const tag of ['Store', 'Store:1', 'Store:1:products', 'Product', 'Product:a%20b']) assert.ok(tags.has(tag), `${tag} in ${header}`);
        assert.equal(response.headers.get('surrogate-key'), null);
      }
    } finally {
      await shop.stop();
    }
  });
}
