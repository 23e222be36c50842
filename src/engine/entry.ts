/** The frame of a stored entry, `[tags, value]` or `[tags, value, expiresAt]`, read back with its shape checked. */
import { CacheTagError } from '../errors.js';
import type { Codec } from '../codec/codec.js';

/** An entry's frame holds `[tags, value]`, and for field entries written since 0.2 `[tags, value, expiresAt]`. */
export function decodeEntry(codec: Codec, frame: Uint8Array): [string[], unknown, number?] {
  const decoded = codec.decode(frame);
  if (
    !Array.isArray(decoded) ||
    (decoded.length !== 2 && decoded.length !== 3) ||
    !Array.isArray(decoded[0]) ||
    (decoded.length === 3 && typeof decoded[2] !== 'number')
  ) {
    throw new CacheTagError('CODEC_CORRUPT', 'A stored value is not a cachetag entry ([tags, value] or [tags, value, expiresAt]); treated as a miss.');
  }
  return decoded as [string[], unknown, number?];
}
