/**
 * Values are stored as frames: one header byte, then the msgpack body,
 * lz4-compressed above a size threshold.
 *
 *   byte 0:    high nibble = format version (1), low nibble = flags
 *              flag 0x1 = body is lz4 (lz4-napi block with a 4-byte
 *              little-endian uncompressed-size prefix)
 *   bytes 1-4: CRC-32 of the body, little-endian, so random or truncated
 *              bytes are caught before msgpack can read them as some value
 *   bytes 5-:  body
 *
 * The version lets the format evolve without misreading old bytes: a frame of
 * an unknown version is a miss, not a crash. Decoding never trusts the bytes:
 * the declared size is checked against `maxValueBytes` *before* any
 * decompression, so a hostile "4 GiB" header costs nothing.
 */
import { crc32 } from 'node:zlib';
import { Packr, RESET_BUFFER_MODE } from 'msgpackr';
import { compressSync, uncompressSync } from 'lz4-napi';
import { CacheTagError, invalidOption } from '../errors.js';

/** The frame format this version writes and reads. */
export const CODEC_FORMAT_VERSION = 1;
const FLAG_LZ4 = 0x1;
const HEADER_BYTES = 5;
const LZ4_SIZE_PREFIX_BYTES = 4;

/** Bodies at least this large (in bytes) are compressed. */
export const defaultCompressAboveBytes = 1024;
/** The largest value accepted, encoded or decoded, in bytes (8 MiB). */
export const defaultMaxValueBytes = 8 * 1024 * 1024;

/** Turns values into frames and back. */
export interface Codec {
  /** Encodes a value; throws `VALUE_TOO_LARGE` above `maxValueBytes`. The caller checks encodability first. */
  encode(value: unknown): Uint8Array;
  /**
   * Decodes a frame; throws `CODEC_CORRUPT` or `VALUE_TOO_LARGE` on bad bytes, never hangs. The value shares no
   * memory with the frame: each call returns a fresh copy.
   */
  decode(frame: Uint8Array): unknown;
}

export interface CodecOptions {
  /** Compress bodies of at least this many bytes with lz4. Default {@link defaultCompressAboveBytes}; `Infinity` disables compression. */
  compressAboveBytes?: number;
  /** Reject values larger than this, before compression on encode and before decompression on decode. Default {@link defaultMaxValueBytes}. */
  maxValueBytes?: number;
}

/** Creates the msgpackr + lz4 codec. */
export function createCodec(options: CodecOptions = {}): Codec {
  const compressAboveBytes = options.compressAboveBytes ?? defaultCompressAboveBytes;
  const maxValueBytes = options.maxValueBytes ?? defaultMaxValueBytes;
  if (typeof compressAboveBytes !== 'number' || !(compressAboveBytes >= 0)) {
    throw invalidOption('createCodec', 'compressAboveBytes', 'a number of bytes >= 0', compressAboveBytes);
  }
  if (typeof maxValueBytes !== 'number' || !Number.isInteger(maxValueBytes) || maxValueBytes <= 0) {
    throw invalidOption('createCodec', 'maxValueBytes', 'a positive integer number of bytes', maxValueBytes);
  }
  // useRecords: false keeps frames self-describing, so any process (or another
  // version of this library) decodes them without shared structure state.
  // copyBuffers: a decoded Buffer is a copy, not a view of the frame: the frame may be the very bytes a store holds
  // (the memory store hands out its own) or share them with other requests (a joined flight), and a resolver that
  // scrubs a Buffer in place must change only its own copy.
  const packr = new Packr({ useRecords: false, moreTypes: false, mapsAsObjects: true, int64AsType: 'bigint', useBigIntExtension: true, copyBuffers: true });

  return {
    encode(value) {
      let body: Buffer;
      try {
        // RESET_BUFFER_MODE: the next encode writes over these bytes instead of moving on through msgpackr's buffer,
        // which otherwise allocates a fresh 8 KiB buffer every few values (garbage on every miss). Safe because body is
        // never kept: it is copied into the frame, or compressed into new bytes, before this function returns.
        body = packr.pack(value, RESET_BUFFER_MODE);
      } catch (error) {
        throw new CacheTagError(
          'UNSERIALIZABLE_VALUE',
          `The value cannot be encoded: ${error instanceof Error ? error.message : String(error)}; it was served uncached.`,
          { cause: error },
        );
      }
      if (body.length > maxValueBytes) {
        throw new CacheTagError(
          'VALUE_TOO_LARGE',
          `The encoded value is ${body.length} bytes, above maxValueBytes (${maxValueBytes}); it was served uncached.`,
        );
      }
      if (body.length >= compressAboveBytes) {
        const compressed = compressSync(body);
        if (compressed.length < body.length) return frame(FLAG_LZ4, compressed);
      }
      return frame(0, body);
    },
    decode(bytes) {
      if (bytes.length < HEADER_BYTES + 1) throw corrupt(`a frame of ${bytes.length} bytes is too short`);
      const header = bytes[0]!;
      const version = header >> 4;
      const flags = header & 0x0f;
      if (version !== CODEC_FORMAT_VERSION) throw corrupt(`unknown format version ${version}`);
      if ((flags & ~FLAG_LZ4) !== 0) throw corrupt(`unknown flags 0x${flags.toString(16)}`);
      let body = bytes.subarray(HEADER_BYTES);
      const checksum = (bytes[1]! | (bytes[2]! << 8) | (bytes[3]! << 16) | (bytes[4]! << 24)) >>> 0;
      if (crc32(body) !== checksum) throw corrupt('its checksum does not match');
      if (flags & FLAG_LZ4) {
        if (body.length < LZ4_SIZE_PREFIX_BYTES + 1) throw corrupt('the lz4 body is truncated');
        // Arithmetic, not `|`: a bitwise OR would wrap a 4 GiB claim to a negative number.
        const declared = (body[0]! | (body[1]! << 8) | (body[2]! << 16)) + body[3]! * 0x1000000;
        if (declared > maxValueBytes) {
          throw new CacheTagError('VALUE_TOO_LARGE', `A stored frame declares ${declared} bytes, above maxValueBytes (${maxValueBytes}); treated as a miss.`);
        }
        try {
          body = uncompressSync(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
        } catch (error) {
          throw corrupt('the lz4 body does not decompress', error);
        }
        if (body.length !== declared) throw corrupt('the lz4 body does not match its declared size');
      } else if (body.length > maxValueBytes) {
        throw new CacheTagError('VALUE_TOO_LARGE', `A stored frame holds ${body.length} bytes, above maxValueBytes (${maxValueBytes}); treated as a miss.`);
      }
      try {
        return packr.unpack(body);
      } catch (error) {
        throw corrupt('the msgpack body does not decode', error);
      }
    },
  };
}

function frame(flags: number, body: Uint8Array): Uint8Array {
  const out = Buffer.allocUnsafe(HEADER_BYTES + body.length);
  out[0] = (CODEC_FORMAT_VERSION << 4) | flags;
  out.writeUInt32LE(crc32(body), 1);
  out.set(body, HEADER_BYTES);
  return out;
}

function corrupt(detail: string, cause?: unknown): CacheTagError {
  return new CacheTagError('CODEC_CORRUPT', `A stored value is not a valid cachetag frame: ${detail}; treated as a miss.`, { cause });
}
