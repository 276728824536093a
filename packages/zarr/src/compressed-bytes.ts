/**
 * Byte ranges of the `compressed` array. When its chunks are stored raw (no compressor, as this
 * package writes them), a range is read straight from the chunk files with store range reads
 * (HTTP Range requests), so a partial read fetches only the bytes of its streams. When the
 * chunks are compressed (Python's default blosc-lz4, zarr v3's zstd), the chunks holding the
 * range are fetched and decoded once per read.
 */
import { concatBytes, InvalidFormatError, isFlacArrayError, NotFoundError, ReadError } from "@flacarray/core";
import type { AbsolutePath } from "@zarrita/storage";
import type * as zarr from "zarrita";
import { join, readJson } from "./json.js";
import { checkKey, type StrictStore } from "./location.js";

/**
 * A store that reads a range of a file straight into memory it is given (the Node
 * `DirectoryStore`): a whole read then copies each byte once, from the file into its place.
 */
export interface ReadsRangeInto {
  /**
   * Reads `into.length` bytes of `key` from byte `offset` into `into`.
   * @returns the bytes read (fewer when the file is shorter), or undefined when there is no such file
   */
  readRangeInto(key: AbsolutePath, offset: number, into: Uint8Array): Promise<number | undefined>;
}

/** A byte range `[start, end)` of the array. */
interface Span {
  start: number;
  end: number;
}

/** Reads byte ranges of a 1-D uint8 zarr array. */
export class CompressedBytes {
  private constructor(
    private readonly array: zarr.Array<"uint8", StrictStore>,
    /** Key of chunk `k`, when chunks are raw bytes; null when they are compressed. */
    private readonly rawKey: ((k: number) => AbsolutePath) | null,
    private readonly where: string,
  ) {}

  /** Bytes in the array. */
  get length(): number {
    return this.array.shape[0];
  }

  /** Bytes per chunk. */
  get chunkBytes(): number {
    return this.array.chunks[0];
  }

  /** Whether chunks are stored raw, so that ranges are read without whole chunks. */
  get rangeReads(): boolean {
    return this.rawKey !== null;
  }

  /** Looks at the array's metadata to decide how its bytes are read. */
  static async open(array: zarr.Array<"uint8", StrictStore>, where: string): Promise<CompressedBytes> {
    const store = array.store;
    const v2 = await readJson(store, join(array.path, ".zarray"));
    let rawKey: ((k: number) => AbsolutePath) | null = null;
    if (v2) {
      const filters = v2.filters as unknown[] | null | undefined;
      if (v2.compressor == null && (filters == null || filters.length === 0)) rawKey = (k) => join(array.path, String(k));
    } else {
      const v3 = (await readJson(store, join(array.path, "zarr.json"))) ?? {};
      const codecs = (v3.codecs ?? []) as { name: string }[];
      const encoding = (v3.chunk_key_encoding ?? { name: "default" }) as { name: string; configuration?: { separator?: string } };
      if (codecs.length === 1 && codecs[0].name === "bytes") {
        const separator = encoding.configuration?.separator ?? (encoding.name === "v2" ? "." : "/");
        if (separator !== "/" && separator !== ".") {
          throw new InvalidFormatError(`${where}/compressed`, `chunk key separator ${JSON.stringify(separator)}, expected "/" or "."`);
        }
        rawKey = encoding.name === "v2" ? (k) => join(array.path, String(k)) : (k) => join(array.path, `c${separator}${k}`);
      }
    }
    return new CompressedBytes(array, rawKey, where);
  }

  /**
   * A reader for one planned read. With compressed chunks it keeps each decoded chunk until the
   * last of `spans` that needs it has been read, so no chunk is fetched twice. Given `into` (as
   * long as the span), the reader writes the span's bytes there and returns it: a whole read
   * then copies each chunk's bytes once, into the place they are wanted.
   */
  reader(spans: readonly Span[]): (span: Span, into?: Uint8Array) => Promise<Uint8Array> {
    if (this.rawKey) return (span, into) => this.readRaw(span, this.rawKey as (k: number) => AbsolutePath, into);
    const uses = new Map<number, number>();
    for (const span of spans) for (const k of this.chunksOf(span)) uses.set(k, (uses.get(k) ?? 0) + 1);
    const cache = new Map<number, Promise<Uint8Array>>();
    return async (span, into) => {
      const out = into ?? new Uint8Array(span.end - span.start);
      for (const k of this.chunksOf(span)) {
        let chunk = cache.get(k);
        if (!chunk) {
          chunk = this.decodeChunk(k);
          cache.set(k, chunk);
        }
        const bytes = await chunk;
        const from = Math.max(span.start, k * this.chunkBytes);
        const to = Math.min(span.end, (k + 1) * this.chunkBytes);
        out.set(bytes.subarray(from - k * this.chunkBytes, to - k * this.chunkBytes), from - span.start);
        const left = (uses.get(k) ?? 1) - 1;
        uses.set(k, left);
        if (left === 0) cache.delete(k);
      }
      return out;
    };
  }

  /** Indices of the chunks that hold a span. */
  private chunksOf(span: Span): number[] {
    const first = Math.floor(span.start / this.chunkBytes);
    const last = Math.floor((span.end - 1) / this.chunkBytes);
    return Array.from({ length: span.end > span.start ? last - first + 1 : 0 }, (_, i) => first + i);
  }

  /** Reads a span from raw chunk files with range reads (into `into`, when given). */
  private async readRaw(span: Span, key: (k: number) => AbsolutePath, into?: Uint8Array): Promise<Uint8Array> {
    const store = this.array.store;
    const direct = "readRangeInto" in store.inner ? (store.inner as unknown as ReadsRangeInto) : undefined;
    /** Where the span's bytes in chunk `k` lie in the chunk file, and the file's name for messages. */
    const place = (k: number) => {
      const from = Math.max(span.start, k * this.chunkBytes);
      const to = Math.min(span.end, (k + 1) * this.chunkBytes);
      checkKey(key(k), store.name);
      return { from, offset: from - k * this.chunkBytes, length: to - from, name: `${store.name}${key(k)}` };
    };
    /** What a failed read throws. */
    const failed = (name: string, offset: number, length: number, err: unknown) =>
      new ReadError(name, `reading bytes [${offset}, ${offset + length}) failed: ${(err as Error).message}`, { cause: err });
    /** What a short read throws. */
    const short = (name: string, offset: number, length: number, got: number) =>
      new ReadError(name, `asked for bytes [${offset}, ${offset + length}), got ${got} bytes (truncated chunk?)`);
    if (direct) {
      const out = into ?? new Uint8Array(span.end - span.start);
      const readPart = async (k: number): Promise<void> => {
        const { from, offset, length, name } = place(k);
        let got: number | undefined;
        try {
          got = await direct.readRangeInto(key(k), offset, out.subarray(from - span.start, from - span.start + length));
        } catch (err) {
          throw failed(name, offset, length, err);
        }
        if (got === undefined) throw new NotFoundError(name, "chunk is missing");
        if (got !== length) throw short(name, offset, length, got);
      };
      await Promise.all(this.chunksOf(span).map(readPart));
      return out;
    }
    /** The span's bytes in chunk `k`, fetched with a range read. */
    const part = async (k: number): Promise<Uint8Array> => {
      const { offset, length, name } = place(k);
      let bytes: Uint8Array | undefined;
      try {
        bytes = store.inner.getRange ? await store.inner.getRange(key(k), { offset, length }) : await store.inner.get(key(k));
      } catch (err) {
        throw failed(name, offset, length, err);
      }
      if (bytes === undefined) throw new NotFoundError(name, "chunk is missing");
      if (bytes.length === length) return bytes;
      // A whole chunk: a store without range reads, or a server that ignored the Range header (200).
      if (bytes.length >= offset + length && (bytes.length === this.chunkBytes || !store.inner.getRange)) {
        return bytes.subarray(offset, offset + length);
      }
      throw short(name, offset, length, bytes.length);
    };
    // the chunks a span crosses are fetched at once; a span inside one chunk is the bytes read, not a copy
    const parts = await Promise.all(this.chunksOf(span).map(part));
    return parts.length === 1 && !into ? (parts[0] as Uint8Array) : concatBytes(parts, into);
  }

  /** Fetches and decodes one compressed chunk (zarrita runs the codecs). */
  private async decodeChunk(k: number): Promise<Uint8Array> {
    let data: Uint8Array;
    try {
      data = (await this.array.getChunk([k])).data as Uint8Array;
    } catch (err) {
      if (isFlacArrayError(err)) throw err;
      const cause = (err as { cause?: unknown }).cause;
      if (isFlacArrayError(cause)) throw cause;
      throw new InvalidFormatError(`${this.where}/compressed`, `chunk ${k} cannot be decoded: ${(err as Error).message}`, { cause: err });
    }
    if (data.length !== this.chunkBytes) {
      throw new InvalidFormatError(`${this.where}/compressed`, `chunk ${k} decodes to ${data.length} bytes, expected ${this.chunkBytes}`);
    }
    return data;
  }
}
