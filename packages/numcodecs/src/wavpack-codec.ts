import type { WavpackConfig } from "./config.js";
import { type DecodeWavpackOptions, decodeWavpack } from "./wavpack/decode-stream.js";

/**
 * The numcodecs "wavpack" codec (wavpack-numcodecs), decode only: a chunk is one complete
 * WavPack stream, and decoding gives its samples as raw little-endian bytes, frame-interleaved,
 * 1, 2 or 4 bytes each (int8, int16, int32 or float32), as `WavPack.decode` returns them.
 * @example
 * const codec = new WavpackCodec({ id: "wavpack", level: 2, bps: 0 });
 * const int16 = new Int16Array(codec.decode(chunkBytes).buffer);
 */
export class WavpackCodec {
  readonly id = "wavpack" as const;
  /** The config the codec was made from. */
  readonly config: WavpackConfig;

  constructor(config: WavpackConfig) {
    this.config = config;
  }

  /** Decodes one chunk into its raw sample bytes. Corruption is an InvalidChunkError. */
  decode(bytes: Uint8Array, options?: DecodeWavpackOptions): Uint8Array {
    // 3- and 4-byte samples stay 32 bits wide, as wavpack-numcodecs copies them.
    const { samples } = decodeWavpack(bytes, options);
    return new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
  }
}
