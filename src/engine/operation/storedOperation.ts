/**
 * An operation response as stored: `[tags, [body bytes, policy]]`, the body being the very bytes a server sends, so
 * the HTTP fast path answers with them as they are; read through a per-frame memo, since a store holding frames in
 * memory hands out the same frame on every hit.
 */
import { CacheTagError } from '../../errors.js';
import type { Codec } from '../../codec/codec.js';
import { decodeEntry } from '../entry.js';
import { copyJson } from './copyJson.js';
import type { OperationPolicy } from './types.js';

/** An operation response as stored: the tags it depends on, the exact response body, its HTTP cache policy. */
export interface StoredOperation {
  readonly tags: string[];
  readonly body: Uint8Array;
  readonly policy: OperationPolicy | null;
}

export const textDecoder = new TextDecoder();

/** The body a server sends for `data`, as text: `{"data":...}` and a newline. */
function bodyTextOf(data: unknown): string {
  return `{"data":${JSON.stringify(data)}}\n`;
}

/** A decoded operation entry, with what every hit derives from it computed once. */
export interface ReadOperation {
  readonly tags: readonly string[];
  readonly body: Uint8Array;
  readonly policy: OperationPolicy | null;
  /** The body as text, decoded on first use. */
  readonly text: string;
  /**
   * The response's `data`, as objects of the caller's own (the server's plugins may change them): parsed from the
   * text on first use; from the second use of the same frame on, copied from a parse kept untouched (see copyJson).
   */
  data(): unknown;
}

/** Operation frames, written and read through one per-frame memo. */
export interface OperationFrames {
  /** {@link decodeStoredOperation}, remembered per frame object (see {@link createOperationFrames}). */
  read(frame: Uint8Array): ReadOperation;
  /**
   * The frame of a response whose data is `data` (throws a CacheTagError when it cannot be encoded), remembered as
   * read: a store that keeps the very frame it was given (the memory store) then answers its first hit without
   * decoding what this process just encoded.
   */
  encode(tags: readonly string[], data: unknown, policy: OperationPolicy | undefined): Uint8Array;
  /** {@link encode} for a body the server serialized already (`{"data":…}` and a newline), stored as it is. */
  encodeBody(tags: readonly string[], text: string, policy: OperationPolicy | undefined): Uint8Array;
}

/**
 * Frames are immutable once stored, and a store that keeps them in memory (the memory store, the Redis store's local
 * tier) hands out the same object on every hit: the checksum, the msgpack decoding and the body copy then happen once
 * per frame instead of once per hit, and not at all for a frame this process wrote and the store kept as it was. A
 * store that builds a new frame per read (Redis) gets a new entry each time, collected with the frame. The body bytes
 * are shared between hits: integrations write them as they are, never modify them.
 */
export function createOperationFrames(codec: Codec): OperationFrames {
  const memo = new WeakMap<Uint8Array, ReadOperation>();
  const encodeBody: OperationFrames['encodeBody'] = (tags, text, policy) => {
    const body = Buffer.from(text);
    const frame = codec.encode([tags, [body, policy ?? null]]);
    // What decoding this frame gives: the tags and policy as copies (msgpack's), the body as bytes of their own.
    // Only a store that keeps this very frame (the memory store) ever reads it through the memo: it will be hit again.
    memo.set(frame, readOperationOf([...tags], body, policy ? { ...policy } : null, text, true));
    return frame;
  };
  return {
    read(frame) {
      let entry = memo.get(frame);
      if (entry === undefined) {
        const { tags, body, policy } = decodeStoredOperation(codec, frame);
        entry = readOperationOf(tags, body, policy, undefined, false);
        memo.set(frame, entry);
      }
      return entry;
    },
    encode(tags, data, policy) {
      return encodeBody(tags, bodyTextOf(data), policy);
    },
    encodeBody,
  };
}

/**
 * `kept`: the frame is one the store keeps and hands out on every hit, so the parse is kept from the first hit on (a
 * copy costs a fraction of a parse). Otherwise the first hit parses for itself, keeping nothing: a store that builds
 * a frame per read (Redis) never shows this one again.
 */
function readOperationOf(tags: string[], body: Uint8Array, policy: OperationPolicy | null, knownText: string | undefined, kept: boolean): ReadOperation {
  let text = knownText;
  let uses = kept ? 1 : 0;
  let pristine: { readonly data: unknown } | undefined;
  const parseData = (): unknown => (JSON.parse(entry.text) as { data: unknown }).data;
  const entry: ReadOperation = {
    tags: Object.freeze(tags),
    body,
    policy: policy && Object.freeze(policy),
    get text() {
      return (text ??= textDecoder.decode(body));
    },
    data() {
      if (pristine === undefined) {
        if (uses++ === 0) return parseData();
        pristine = { data: parseData() };
      }
      try {
        return copyJson(pristine.data);
      } catch (error) {
        // Nesting too deep for the copy's recursion: the parser has no such limit.
        if (error instanceof RangeError) return parseData();
        throw error;
      }
    },
  };
  return entry;
}

/**
 * Reads an operation entry, `[tags, [body bytes, policy]]`. Entries written by 0.1.0 hold the JSON text of the data
 * instead of the body bytes; they are read too, so a deploy does not turn a shared Redis cold.
 */
export function decodeStoredOperation(codec: Codec, frame: Uint8Array): StoredOperation {
  const [tags, stored] = decodeEntry(codec, frame);
  if (Array.isArray(stored) && stored.length === 2 && (stored[1] === null || typeof stored[1] === 'object')) {
    const [body, policy] = stored as [unknown, OperationPolicy | null];
    if (body instanceof Uint8Array) return { tags, body, policy };
    if (typeof body === 'string') return { tags, body: Buffer.from(`{"data":${body}}\n`), policy };
  }
  throw new CacheTagError('CODEC_CORRUPT', 'A stored value is not a cachetag operation response ([tags, [body, policy]]); treated as a miss.');
}
