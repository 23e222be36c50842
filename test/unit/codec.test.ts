import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32 } from 'node:zlib';
import { createCodec } from '../../src/index.js';

const codec = createCodec({ compressAboveBytes: 64, maxValueBytes: 1024 * 1024 });
const code = (fn: () => unknown) => {
  try {
    fn();
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? 'uncoded';
  }
};

test('round-trips plain data, Dates, bytes and bigints', () => {
  const value = { a: 1, b: 'x', c: [true, null, 2.5], d: new Date(0), e: new Uint8Array([0, 255]), f: 2n ** 70n, nested: { deep: ['y'] } };
  assert.deepEqual(codec.decode(codec.encode(value)), { ...value, e: Buffer.from([0, 255]) });
});

test('compresses above the threshold, with the lz4 flag in the header', () => {
  const small = codec.encode('x');
  const large = codec.encode('tea '.repeat(1000));
  assert.equal(small[0], 0x10);
  assert.equal(large[0], 0x11);
  assert.ok(large.length < 400, `compressed to ${large.length} bytes`);
  assert.equal(codec.decode(large), 'tea '.repeat(1000));
});

test('hostile and broken frames are CODEC_CORRUPT or VALUE_TOO_LARGE, never a crash or a hang', () => {
  const good = codec.encode({ id: '1', text: 'z'.repeat(500) });
  assert.equal(
    code(() => codec.decode(new Uint8Array())),
    'CODEC_CORRUPT',
  );
  assert.equal(
    code(() => codec.decode(good.subarray(0, good.length - 3))),
    'CODEC_CORRUPT',
    'truncated',
  );
  const flipped = Buffer.from(good);
  flipped[20] = flipped[20]! ^ 0xff;
  assert.equal(
    code(() => codec.decode(flipped)),
    'CODEC_CORRUPT',
    'a flipped byte fails the checksum',
  );
  const unknownVersion = Buffer.from(good);
  unknownVersion[0] = 0x21;
  assert.equal(
    code(() => codec.decode(unknownVersion)),
    'CODEC_CORRUPT',
  );
  // A frame whose lz4 size prefix claims 4 GiB, with a valid checksum: refused before decompressing.
  const body = Buffer.from([0xff, 0xff, 0xff, 0xff, 1, 2, 3]);
  const header = Buffer.alloc(5);
  header[0] = 0x11;
  header.writeUInt32LE(crc32(body), 1);
  assert.equal(
    code(() => codec.decode(Buffer.concat([header, body]))),
    'VALUE_TOO_LARGE',
  );
  for (let i = 0; i < 200; i++) {
    const random = Buffer.from(Array.from({ length: 1 + (i % 64) }, () => Math.floor(Math.random() * 256)));
    assert.notEqual(
      code(() => codec.decode(random)),
      'uncoded',
    );
  }
});

test('msgpack "__proto__" keys cannot pollute prototypes', () => {
  const frame = codec.encode(JSON.parse('{"__proto__": {"polluted": true}}'));
  const decoded = codec.decode(frame) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(decoded), Object.prototype);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('values above maxValueBytes are refused on encode', () => {
  const tiny = createCodec({ maxValueBytes: 100 });
  assert.equal(
    code(() => tiny.encode('x'.repeat(200))),
    'VALUE_TOO_LARGE',
  );
});

test('each frame owns its bytes: encoding more values (after a failed encode too) never changes an earlier frame', () => {
  // The encoder reuses one scratch buffer across encodes; a frame must be a copy, never a view of it.
  const first = codec.encode({ id: 'first', tags: ['Product:1'] });
  const compressed = codec.encode('tea '.repeat(100));
  const snapshot = [Buffer.from(first), Buffer.from(compressed)];
  // Fails half-way, after writing the padding.
  assert.equal(
    code(() => codec.encode({ pad: 'y'.repeat(200), no: Symbol('no') })),
    'UNSERIALIZABLE_VALUE',
  );
  for (let i = 0; i < 2000; i++) codec.encode({ id: `other-${i}`, pad: 'z'.repeat(i % 300) });
  assert.deepEqual([Buffer.from(first), Buffer.from(compressed)], snapshot);
  assert.deepEqual(codec.decode(first), { id: 'first', tags: ['Product:1'] });
  assert.equal(codec.decode(compressed), 'tea '.repeat(100));
});
