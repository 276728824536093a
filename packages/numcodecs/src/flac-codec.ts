import { decodeFlac, FlacEncoder, readStreamInfo } from "@flacarray/core";
import type { FlacConfig } from "./config.js";
import { InvalidChunkError } from "./errors.js";

/** flac-numcodecs' largest frame: libFLAC's streamable-subset limit at 48 kHz and below. */
const MAX_SUBSET_BLOCK = 4608;
/** Its limit above 48 kHz. */
const MAX_SUBSET_BLOCK_HIGH_RATE = 16384;

/**
 * The numcodecs "flac" codec (flac-numcodecs): a chunk is one complete FLAC stream of 16-bit
 * samples, mono or stereo; more than two columns are flattened to one channel. Decoding gives
 * the samples as raw little-endian int16 bytes, channels interleaved, as the chunk's C-order
 * bytes. Encoding writes streams that flac-numcodecs (pyFLAC, libFLAC) decodes.
 * @example
 * const codec = new FlacCodec({ id: "flac", level: 5 });
 * const bytes = codec.encode(new Int16Array([1, 2, 3, 4]), [2, 2]);
 * new Int16Array(codec.decode(bytes).buffer); // Int16Array [1, 2, 3, 4]
 */
export class FlacCodec {
  readonly id = "flac" as const;
  /** The config the codec was made from. */
  readonly config: FlacConfig;

  constructor(config: FlacConfig) {
    this.config = config;
  }

  /**
   * Decodes one chunk into its raw int16 bytes. Corruption is an InvalidStreamError or
   * InvalidChunkError; so is a stream that claims more than `maxSamples` samples (all channels).
   */
  decode(bytes: Uint8Array, options: { maxSamples?: number } = {}): Uint8Array {
    const info = readStreamInfo(bytes);
    const claimed = info.totalSamples * info.channels;
    if (options.maxSamples !== undefined && claimed > options.maxSamples)
      throw new InvalidChunkError("flac", -1, 0, `the stream claims ${claimed} samples, more than the ${options.maxSamples} allowed`);
    if (info.bitsPerSample !== 16)
      throw new InvalidChunkError(
        "flac",
        -1,
        0,
        `${info.bitsPerSample} bits per sample; flac-numcodecs chunks are 16-bit (pyFLAC decodes 16 or 32 only)`,
      );
    const { samples } = decodeFlac(bytes);
    return new Uint8Array(Int16Array.from(samples).buffer);
  }

  /**
   * Encodes one chunk the way flac-numcodecs does: `shape` `[rows]` or `[rows, 1]` is mono,
   * `[rows, 2]` stereo, anything else is flattened (C order) to mono. Frames hold
   * `min(rows, 4608)` samples (16384 above 48 kHz), or the config's `blocksize` capped the same way.
   */
  encode(samples: Int16Array, shape: readonly number[] = [samples.length]): Uint8Array {
    const count = shape.reduce((a, b) => a * b, 1);
    if (count !== samples.length)
      throw new InvalidChunkError("flac", -1, 0, `shape [${shape.join(", ")}] holds ${count} values, not ${samples.length}`);
    const channels = shape.length === 2 && (shape[1] === 1 || shape[1] === 2) ? shape[1] : 1;
    const rows = samples.length / channels;
    const sampleRate = this.config.sample_rate ?? 48000;
    const cap = Math.min(rows, sampleRate > 48000 ? MAX_SUBSET_BLOCK_HIGH_RATE : MAX_SUBSET_BLOCK);
    const blockSize = rows > 16 ? Math.min(this.config.blocksize ?? cap, cap) : undefined;
    const encoder = new FlacEncoder({ level: this.config.level ?? 5, sampleRate, blockSize, bitsPerSample: 16 });
    return encoder.encode(Int32Array.from(samples), channels as 1 | 2);
  }
}
