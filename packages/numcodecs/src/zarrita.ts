import { registry } from "zarrita";
import { type FlacConfig, parseConfig, type WavpackConfig } from "./config.js";
import { InvalidChunkError } from "./errors.js";
import { FlacCodec } from "./flac-codec.js";
import { WavpackCodec } from "./wavpack-codec.js";

/** What zarrita tells a codec about the chunks it will see. */
interface ChunkMeta {
  readonly dataType: string;
  readonly shape: readonly number[];
}

/** Bytes per element of the integer and float dtypes these codecs carry. */
const ITEM_SIZE: Record<string, number> = { int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, float32: 4 };

/** Most values a chunk may hold (1 GiB as int32): a larger chunk shape in metadata is refused before any chunk is read. */
const MAX_CHUNK_VALUES = 2 ** 28;

/** The size every decoded chunk of an array must have, from the metadata zarrita gives a codec. */
class ChunkSize {
  /** Values per chunk. */
  readonly values: number;
  /** Bytes per decoded chunk. */
  readonly bytes: number;

  constructor(
    private readonly codec: "wavpack" | "flac",
    meta: ChunkMeta,
  ) {
    const size = ITEM_SIZE[meta.dataType];
    if (size === undefined) throw new InvalidChunkError(codec, -1, 0, `arrays of ${meta.dataType} cannot use the ${codec} codec`);
    this.values = meta.shape.reduce((a, b) => a * b, 1);
    if (this.values > MAX_CHUNK_VALUES)
      throw new InvalidChunkError(codec, -1, 0, `chunks of ${this.values} values exceed the ${MAX_CHUNK_VALUES} this reader allows`);
    this.bytes = this.values * size;
  }

  /** Refuses a decoded chunk whose size is not the chunk's (a chunk from another array, or a damaged one). */
  check(decoded: Uint8Array): Uint8Array {
    if (decoded.length !== this.bytes)
      throw new InvalidChunkError(
        this.codec,
        -1,
        0,
        `the chunk decodes to ${decoded.length} bytes but the array's chunks hold ${this.bytes}`,
      );
    return decoded;
  }
}

/** zarrita adapter of {@link WavpackCodec}: bytes to bytes, decode only. */
class ZarrWavpack {
  readonly kind = "bytes_to_bytes" as const;
  private readonly codec: WavpackCodec;
  private readonly size: ChunkSize;
  constructor(config: WavpackConfig, meta: ChunkMeta) {
    this.codec = new WavpackCodec(config);
    this.size = new ChunkSize("wavpack", meta);
  }
  static fromConfig(config: unknown, meta: ChunkMeta): ZarrWavpack {
    return new ZarrWavpack(parseConfig({ ...(config as object), id: "wavpack" }) as WavpackConfig, meta);
  }
  encode(): Uint8Array {
    throw new InvalidChunkError("wavpack", -1, 0, "writing WavPack chunks is not supported; use the flac codec");
  }
  decode(bytes: Uint8Array): Uint8Array {
    return this.size.check(this.codec.decode(bytes, { maxSamples: this.size.values }));
  }
}

/** zarrita adapter of {@link FlacCodec}: bytes to bytes, both ways; chunks of two columns are stereo. */
class ZarrFlac {
  readonly kind = "bytes_to_bytes" as const;
  private readonly codec: FlacCodec;
  private readonly meta: ChunkMeta;
  private readonly size: ChunkSize;
  constructor(config: FlacConfig, meta: ChunkMeta) {
    this.codec = new FlacCodec(config);
    this.meta = meta;
    this.size = new ChunkSize("flac", meta);
  }
  static fromConfig(config: unknown, meta: ChunkMeta): ZarrFlac {
    return new ZarrFlac(parseConfig({ ...(config as object), id: "flac" }) as FlacConfig, meta);
  }
  encode(bytes: Uint8Array): Uint8Array {
    if (this.meta.dataType !== "int16")
      throw new InvalidChunkError("flac", -1, 0, `flac-numcodecs encodes int16 only, not ${this.meta.dataType}`);
    const copy = bytes.slice();
    return this.codec.encode(new Int16Array(copy.buffer, 0, copy.length >> 1), this.meta.shape);
  }
  decode(bytes: Uint8Array): Uint8Array {
    return this.size.check(this.codec.decode(bytes, { maxSamples: this.size.values }));
  }
}

/**
 * Registers the "wavpack" and "flac" codecs in zarrita's codec registry, under the names it
 * looks up for Zarr v2 compressors (`numcodecs.wavpack`, `numcodecs.flac`) and v3 codecs
 * (`wavpack`, `flac`). After it, zarrita's own `open` and `get` read SpikeInterface / AIND
 * stores. Calling it again does nothing.
 * @example
 * import * as zarr from "zarrita";
 * registerNumcodecs();
 * const traces = await zarr.open.v2(root.resolve("traces_seg0"), { kind: "array" });
 * const window = await zarr.get(traces, [zarr.slice(0, 3000), null]);
 */
export function registerNumcodecs(): void {
  // zarrita's registry types its entries with its own (unexported) chunk metadata type
  const wavpack = async () => ZarrWavpack as never;
  const flac = async () => ZarrFlac as never;
  for (const name of ["wavpack", "numcodecs.wavpack"]) registry.set(name, wavpack);
  for (const name of ["flac", "numcodecs.flac"]) registry.set(name, flac);
}
