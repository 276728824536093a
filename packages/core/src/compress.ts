import { InvalidStreamError } from "./errors.js";
import { FlacDecoder } from "./flac/decoder.js";
import { FlacEncoder } from "./flac/encoder.js";

/** The compressed streams of an array, as flacarray stores them. */
export interface CompressedStreams {
  /** All FLAC streams, one after another in C order. */
  compressed: Uint8Array;
  /** Byte offset of each stream in `compressed`. */
  starts: Float64Array;
  /** Byte length of each stream. */
  bytes: Float64Array;
}

/** {@link CompressedStreams} whose `compressed` is the first `length` bytes of a larger buffer. */
export interface CompressedRun extends CompressedStreams {
  length: number;
}

/** {@link compressStreamRun}, with `compressed` exactly as long as the streams. */
export function compressStreams(...args: Parameters<typeof compressStreamRun>): CompressedStreams {
  const run = compressStreamRun(...args);
  return { compressed: run.compressed.slice(0, run.length), starts: run.starts, bytes: run.bytes };
}

/**
 * Compresses `nstreams` streams of `streamSize` samples each into contiguous FLAC streams, left
 * in the buffer they were gathered in, which may be longer than they are (a worker's streams are
 * copied on into the whole array's anyway).
 * @param ints - the integers: `nstreams * streamSize * channels` values (for 2 channels,
 *   interleaved low/high halves of int64 values)
 * @param verify - decode each stream after writing it and compare with its input
 * @param firstStream - the index of the first stream in the whole array, for error messages
 * @throws {InvalidStreamError} when verification finds a stream that does not decode to its input
 */
export function compressStreamRun(
  ints: Int32Array,
  nstreams: number,
  streamSize: number,
  channels: 1 | 2,
  level: number,
  verify = true,
  firstStream = 0,
): CompressedRun {
  const encoder = new FlacEncoder({ level });
  const decoder = verify ? new FlacDecoder() : null;
  const check = verify ? new Int32Array(streamSize * channels) : null;
  const starts = new Float64Array(nstreams);
  const bytes = new Float64Array(nstreams);
  let compressed = new Uint8Array(0);
  let total = 0;
  const span = streamSize * channels;
  for (let s = 0; s < nstreams; s++) {
    const input = ints.subarray(s * span, (s + 1) * span);
    const stream = encoder.encodeView(input, channels);
    if (decoder && check) {
      decoder.decode(stream, check, { stream: firstStream + s });
      for (let i = 0; i < span; i++) {
        if (check[i] !== input[i])
          throw new InvalidStreamError(`verification failed: value ${i} decodes to ${check[i]}, wrote ${input[i]}`, firstStream + s, 0);
      }
    }
    if (total + stream.length > compressed.length) {
      // room for the rest at this stream's size, a little more, then half again at a time
      const wanted = Math.max(total + stream.length * (nstreams - s) * 1.02 + 4096, compressed.length * 1.5);
      const grown = new Uint8Array(Math.ceil(Math.max(total + stream.length, wanted)));
      grown.set(compressed.subarray(0, total));
      compressed = grown;
    }
    compressed.set(stream, total);
    starts[s] = total;
    bytes[s] = stream.length;
    total += stream.length;
  }
  return { compressed, length: total, starts, bytes };
}
