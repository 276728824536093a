/**
 * Random access to an mtscomp recording: only the chunks a request touches are fetched and
 * decoded, a few at a time, with a small cache of decoded chunks. Results are fresh arrays
 * (Python's are views into its cache, which later reads can overwrite).
 */
import { type Backend, portableBackend } from "./backend.js";
import type { ByteSource } from "./byte-source.js";
import { decodeChunk } from "./chunk-codec.js";
import { chunkOf } from "./chunking.js";
import { allocate, type Dtype, type DtypeArrays, isWide, itemsize, lanesOf, type SampleArray } from "./dtype.js";
import { CorruptChunkError, HeaderError } from "./errors.js";
import type { MtscompHeader } from "./header.js";
import { ordered } from "./ordered.js";
import { type AxisIndex, indexList, progression } from "./selection.js";

/** Options of a {@link Reader}. */
export interface ReaderOptions {
  /** Decoded chunks kept for later requests (default 4). */
  cacheSize?: number;
  /** Chunks fetched and decoded at once (default 4). */
  concurrency?: number;
  /** zlib and SHA-1 (default pure JavaScript; the Node entry passes node:zlib). */
  backend?: Backend;
}

/** An n-dimensional result: the samples in C order and numpy's shape. */
export interface Selection<D extends Dtype = Dtype> {
  data: DtypeArrays[D];
  shape: number[];
}

/** One decoded chunk: its index, first sample and samples (C order, `rows x nChannels`). */
export interface DecodedChunk {
  index: number;
  firstRow: number;
  rows: number;
  data: SampleArray;
}

/** An open `.cbin` + `.ch` pair. */
export class Reader {
  /** The checked header. */
  readonly header: MtscompHeader;
  /** Number of samples (rows): the last chunk bound, never the possibly stale `shape` key. */
  readonly nSamples: number;
  /** Number of channels (columns). */
  readonly nChannels: number;
  /** Samples per second, as stored. */
  readonly sampleRate: number;
  /** Sample type. */
  readonly dtype: Dtype;
  /** `[nSamples, nChannels]`, as Python's `Reader.shape`. */
  readonly shape: readonly [number, number];
  /** Number of chunks. */
  readonly nChunks: number;
  /** The `.cbin` name (path or URL), as used in messages. */
  readonly name: string;
  protected readonly source: ByteSource;
  protected readonly backend: Backend;
  private readonly cacheSize: number;
  private readonly concurrency: number;
  private readonly cache = new Map<number, Promise<SampleArray>>();
  private sizeChecked = false;

  /**
   * @param source - the `.cbin` bytes
   * @param header - its parsed `.ch` (see `parseHeader`)
   */
  constructor(source: ByteSource, header: MtscompHeader, options: ReaderOptions = {}) {
    this.source = source;
    this.name = source.name;
    this.header = header;
    this.backend = options.backend ?? portableBackend;
    this.cacheSize = options.cacheSize ?? 4;
    this.concurrency = options.concurrency ?? 4;
    this.dtype = header.dtype;
    this.nChannels = header.nChannels;
    this.sampleRate = header.sampleRate;
    this.nSamples = header.chunkBounds.at(-1) as number;
    this.nChunks = header.chunkBounds.length - 1;
    this.shape = [this.nSamples, this.nChannels];
    this.checkSize();
  }

  /**
   * Samples selected numpy-style: `rows` (time) and `cols` (channels) are each an integer, a
   * slice `[start, stop, step?]`, or omitted for all; `cols` may also be `{ list: [...] }`.
   * Integer indices drop their axis, as in numpy (`get(5)` has shape `[nChannels]`).
   */
  async get(rows?: AxisIndex, cols?: AxisIndex): Promise<Selection> {
    const r = progression(rows, this.nSamples, 0);
    const c = indexList(cols, this.nChannels, 1);
    const width = c.positions.length;
    const out = allocate(this.dtype, r.count * width);
    const outLanes = lanesOf(this.dtype, out);
    const lanes = isWide(this.dtype) ? 2 : 1;
    const allColumns = width === this.nChannels && c.positions.every((p, i) => p === i);
    const bounds = this.header.chunkBounds;
    // the chunks holding selected rows, each with the range of result rows it serves
    const parts: { chunk: number; first: number; last: number }[] = [];
    for (let i = 0; i < r.count; ) {
      const chunk = chunkOf(bounds, r.start + i * r.step);
      const edge = r.step > 0 ? (bounds[chunk + 1] as number) : (bounds[chunk] as number) - 1;
      const last = Math.min(r.count, i + Math.max(1, Math.ceil((edge - (r.start + i * r.step)) / r.step)));
      parts.push({ chunk, first: i, last });
      i = last;
    }
    for await (const { part, data } of ordered(parts.length, this.concurrency, async (k) => {
      const part = parts[k] as (typeof parts)[number];
      return { part, data: await this.chunk(part.chunk) };
    })) {
      const src = lanesOf(this.dtype, data);
      const chunkStart = bounds[part.chunk] as number;
      for (let i = part.first; i < part.last; i++) {
        const from = (r.start + i * r.step - chunkStart) * this.nChannels * lanes;
        const to = i * width * lanes;
        if (allColumns) outLanes.set(src.subarray(from, from + this.nChannels * lanes) as never, to);
        else if (lanes === 1) for (let j = 0; j < width; j++) outLanes[to + j] = src[from + (c.positions[j] as number)] as number;
        else {
          for (let j = 0; j < width; j++) {
            const at = from + 2 * (c.positions[j] as number);
            outLanes[to + 2 * j] = src[at] as number;
            outLanes[to + 2 * j + 1] = src[at + 1] as number;
          }
        }
      }
    }
    const shape = [...(r.drop ? [] : [r.count]), ...(c.drop ? [] : [width])];
    return { data: out, shape };
  }

  /**
   * Every chunk, decoded, in order, with up to `concurrency` fetched and decoded ahead: what
   * whole-file conversions read. Bypasses the cache.
   */
  async *chunks(options: { first?: number; concurrency?: number } = {}): AsyncGenerator<DecodedChunk> {
    const first = options.first ?? 0;
    const bounds = this.header.chunkBounds;
    yield* ordered(this.nChunks - first, options.concurrency ?? this.concurrency, async (k) => {
      const index = first + k;
      const firstRow = bounds[index] as number;
      return { index, firstRow, rows: (bounds[index + 1] as number) - firstRow, data: await this.decode(index) };
    });
  }

  /** Releases the source (a file handle). */
  async close(): Promise<void> {
    this.cache.clear();
    await this.source.close();
  }

  /** Chunk `k` decoded, through the cache. The array is shared: do not modify it. */
  private chunk(k: number): Promise<SampleArray> {
    let entry = this.cache.get(k);
    if (entry) this.cache.delete(k);
    else {
      entry = this.decode(k);
      entry.catch(() => this.cache.delete(k));
    }
    this.cache.set(k, entry);
    while (this.cache.size > Math.max(1, this.cacheSize)) this.cache.delete(this.cache.keys().next().value as number);
    return entry;
  }

  /** Reads, inflates and decodes chunk `k`. */
  private async decode(k: number): Promise<SampleArray> {
    const h = this.header;
    const offset = h.chunkOffsets[k] as number;
    const length = (h.chunkOffsets[k + 1] as number) - offset;
    const rows = (h.chunkBounds[k + 1] as number) - (h.chunkBounds[k] as number);
    const stream = await this.source.read(offset, length);
    this.checkSize();
    const expected = rows * this.nChannels * itemsize(this.dtype);
    let payload: Uint8Array;
    try {
      payload = await this.backend.inflate(stream, expected);
    } catch (e) {
      throw new CorruptChunkError(this.source.name, k, offset, `corrupt zlib stream (${(e as Error).message})`, { cause: e });
    }
    if (payload.length !== expected) {
      throw new CorruptChunkError(
        this.source.name,
        k,
        offset,
        `decompressed to ${payload.length} bytes, expected ${rows} x ${this.nChannels} x ${itemsize(this.dtype)} = ${expected}`,
      );
    }
    return decodeChunk(h, payload, rows);
  }

  /** Once the source's size is known: it must be where the chunk offsets end. */
  private checkSize(): void {
    const size = this.source.size;
    if (this.sizeChecked || size === undefined) return;
    this.sizeChecked = true;
    const end = this.header.chunkOffsets.at(-1) as number;
    if (size !== end) throw new HeaderError(this.source.name, "chunk_offsets", `end at byte ${end} but the .cbin has ${size} bytes`);
  }
}
