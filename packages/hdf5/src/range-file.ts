/**
 * HDF5 files read by byte ranges (over HTTP, from a Blob) with h5wasm, without downloading them.
 *
 * h5wasm is synchronous C and the bytes arrive asynchronously, so an operation runs against a
 * cache of the file's blocks: a read of a block not yet fetched is recorded and fails, the
 * operation's result is thrown away, the missing blocks are fetched, and the operation runs again
 * from a fresh open of the file. Every attempt opens the file under a new name, so that HDF5's
 * caches from a failed attempt (a sieve buffer it filled from a failed read, say) are never seen
 * again; only an attempt with no missing read returns anything. HDF5's own structures are read by
 * HDF5 alone.
 */
import { type ByteSource, InvalidFormatError, ReadError } from "@flacarray/core";
import type { File } from "h5wasm";
import { type H5Module, type H5wasm, ready } from "./h5wasm-runtime.js";

/** Size of the blocks fetched for HDF5's own reads (metadata, small datasets). */
export const BLOCK_BYTES = 16384;
/** Emscripten's EIO: what a read of a block not yet fetched fails with. */
const EIO = 29;
/** Attempts one operation may take; each fetches at least one new block. */
const MAX_ATTEMPTS = 256;

/** Options of {@link openRangeFile}. */
export interface RangeFileOptions {
  /** Most bytes fetched into the block cache (HDF5 metadata and small datasets). Default 64 MiB. */
  maxCachedBytes?: number;
  /** Blocks already fetched, by byte offset (the head a URL source returned when opened, say). */
  prefetched?: { offset: number; bytes: Uint8Array }[];
}

/** A read HDF5 made: `length` bytes at file offset `position`; `missing` when not all were fetched. */
export interface FileRead {
  position: number;
  length: number;
  missing: boolean;
}

/** What one attempt read: how many reads, the last one, and those of blocks not fetched yet. */
interface AttemptReads {
  count: number;
  last: FileRead | undefined;
  missed: FileRead[];
}

/** The parts of Emscripten's file system used here (h5wasm's types leave them out). */
interface EmscriptenFs {
  ErrnoError: new (errno: number) => Error;
  createFile(parent: string, name: string, properties: object, canRead: boolean, canWrite: boolean): { stream_ops: object };
  unlink(path: string): void;
}

let names = 0;

/**
 * An HDF5 file read through a {@link ByteSource}; open it with {@link openRangeFile}. Run h5wasm
 * code on it with {@link RangeFile.run}.
 */
export class RangeFile {
  /** File offset / BLOCK_BYTES of each block fetched → its bytes (the last one may be short). */
  private readonly blocks = new Map<number, Uint8Array>();
  private readonly pending = new Map<number, Promise<void>>();
  private cachedBytes = 0;
  private readonly maxCachedBytes: number;
  /** The current attempt's reads: how many, the last one, and those of blocks not fetched. */
  private reads: AttemptReads = { count: 0, last: undefined, missed: [] };
  /** While set, a missing read returns zeros instead of failing (for reads whose bytes are not used). */
  private zerosForMissing = false;

  /** @internal use {@link openRangeFile} */
  constructor(
    readonly source: ByteSource,
    private readonly h5wasm: H5wasm,
    private readonly module: H5Module,
    options: RangeFileOptions,
  ) {
    this.maxCachedBytes = options.maxCachedBytes ?? 64 * 1024 * 1024;
    for (const { offset, bytes } of options.prefetched ?? []) this.keep(offset, bytes);
  }

  /** The file's name or URL, for messages. */
  get name(): string {
    return this.source.name;
  }

  /** Keeps the whole blocks inside `bytes` (at file offset `offset`), and the file's last block. */
  private keep(offset: number, bytes: Uint8Array): void {
    const size = this.source.size;
    for (let b = Math.ceil(offset / BLOCK_BYTES); b * BLOCK_BYTES < offset + bytes.length; b++) {
      const end = Math.min((b + 1) * BLOCK_BYTES, size);
      if (end > offset + bytes.length || this.blocks.has(b)) continue;
      const block = bytes.slice(b * BLOCK_BYTES - offset, end - offset);
      this.blocks.set(b, block);
      this.cachedBytes += block.length;
    }
  }

  private get fs(): EmscriptenFs {
    return this.module.FS as unknown as EmscriptenFs;
  }

  /** The blocks fetched so far: `prefetched` for another RangeFile of the same file (one opened on another thread, say). */
  fetchedBlocks(): { offset: number; bytes: Uint8Array }[] {
    return [...this.blocks].map(([b, bytes]) => ({ offset: b * BLOCK_BYTES, bytes }));
  }

  /** The Emscripten read of the file: from fetched blocks, recording every read. */
  private readInto(buffer: Uint8Array, offset: number, length: number, position: number): number {
    const size = this.source.size;
    if (position >= size) return 0;
    const end = Math.min(size, position + length);
    let missing = false;
    for (let b = Math.floor(position / BLOCK_BYTES); b * BLOCK_BYTES < end; b++) missing ||= !this.blocks.has(b);
    const read = { position, length: end - position, missing };
    this.reads.count++;
    this.reads.last = read;
    if (missing) this.reads.missed.push(read);
    if (missing) {
      if (!this.zerosForMissing) throw new this.fs.ErrnoError(EIO);
      buffer.fill(0, offset, offset + end - position);
      return end - position;
    }
    for (let at = position; at < end; ) {
      const b = Math.floor(at / BLOCK_BYTES);
      const block = this.blocks.get(b) as Uint8Array;
      const from = at - b * BLOCK_BYTES;
      const n = Math.min(block.length - from, end - at);
      buffer.set(block.subarray(from, from + n), offset + at - position);
      at += n;
    }
    return end - position;
  }

  /** A new name in h5wasm's file system for this file: a new file to HDF5, with nothing cached. */
  private createNode(): string {
    const FS = this.fs;
    const name = `flacarray-range-${++names}.h5`;
    const node = FS.createFile("/", name, {}, true, false);
    const size = this.source.size;
    Object.defineProperty(node, "usedBytes", { get: () => size });
    node.stream_ops = {
      ...node.stream_ops,
      read: (_stream: unknown, buffer: Uint8Array, offset: number, length: number, position: number) =>
        this.readInto(buffer, offset, length, position),
      write: () => {
        throw new FS.ErrnoError(EIO);
      },
    };
    return `/${name}`;
  }

  /** Fetches the blocks `reads` missed, several neighbouring blocks in one request. */
  private async fetchMissing(reads: FileRead[]): Promise<void> {
    const wanted = new Set<number>();
    for (const { position, length } of reads) {
      for (let b = Math.floor(position / BLOCK_BYTES); b * BLOCK_BYTES < position + length; b++) {
        if (!this.blocks.has(b)) wanted.add(b);
      }
    }
    const waits: Promise<void>[] = [];
    const runs: [number, number][] = [];
    for (const b of [...wanted].sort((x, y) => x - y)) {
      const waiting = this.pending.get(b);
      if (waiting) waits.push(waiting);
      else if (runs.length > 0 && (runs.at(-1) as [number, number])[1] === b) (runs.at(-1) as [number, number])[1] = b + 1;
      else runs.push([b, b + 1]);
    }
    for (const [first, last] of runs) {
      const offset = first * BLOCK_BYTES;
      const length = Math.min(last * BLOCK_BYTES, this.source.size) - offset;
      if (this.cachedBytes + length > this.maxCachedBytes) {
        throw new ReadError(
          this.name,
          `HDF5 needs more than ${this.maxCachedBytes} bytes of metadata and small datasets (option maxCachedBytes); reading stopped at byte ${offset}`,
        );
      }
      this.cachedBytes += length;
      const fetching = this.source.read(offset, length).then(
        (bytes) => {
          this.cachedBytes -= length;
          this.keep(offset, bytes);
        },
        (err) => {
          this.cachedBytes -= length;
          throw err;
        },
      );
      const settled = fetching.finally(() => {
        for (let b = first; b < last; b++) this.pending.delete(b);
      });
      for (let b = first; b < last; b++) this.pending.set(b, settled);
      waits.push(settled);
    }
    await Promise.all(waits);
  }

  /**
   * Runs `op` on the file opened with h5wasm, fetching what it reads, and returns its result.
   * `op` must be synchronous and may run several times, each on a fresh open of the file; it must
   * not keep the file or its objects, which are closed when it returns.
   * @throws what `op` throws when it read only fetched bytes; {ReadError} when fetching fails or
   *   needs more than the cache allows
   */
  run<T>(op: (file: File) => T): Promise<T> {
    return this.retrying<T>(() => {
      const { result, error, reads } = this.attempt(op);
      if (reads.missed.length > 0) return { missing: reads.missed };
      if (error !== undefined) throw error;
      return { result: result as T };
    });
  }

  /**
   * Where HDF5 reads the storage of element `index` of the 1-D dataset at `path`: `op` opens the
   * dataset and reads that one element, with the data read itself not fetched.
   * @returns the file read of the element's storage (the last read HDF5 made), or undefined when
   *   reading it made no file read (data held in the object header)
   */
  dataRead(path: string, index: number): Promise<FileRead | undefined> {
    return this.retrying<FileRead | undefined>(() => {
      let before = 0;
      const { error, reads } = this.attempt((file, zerosFrom) => {
        const dataset = file.get(path) as import("h5wasm").Dataset;
        void dataset.metadata;
        before = this.reads.count;
        zerosFrom();
        dataset.slice([[index, index + 1]]);
      });
      // Every missing read but the data read itself (the last one, when the read succeeded) is
      // HDF5's own, and must be fetched first.
      const dataMissed = error === undefined && reads.last?.missing;
      const missing = dataMissed ? reads.missed.slice(0, -1) : reads.missed;
      if (missing.length > 0) return { missing };
      if (error !== undefined) throw new InvalidFormatError(`${this.name}:${path}`, `reading element ${index} failed`, { cause: error });
      return { result: reads.count > before ? reads.last : undefined };
    });
  }

  /** Runs `once` until it needs no more blocks, fetching those it names in between. */
  private async retrying<T>(once: () => { result: T } | { missing: FileRead[] }): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const outcome = once();
      if ("result" in outcome) return outcome.result;
      if (attempt === MAX_ATTEMPTS) {
        throw new ReadError(
          this.name,
          `HDF5 still reads bytes not fetched after ${MAX_ATTEMPTS} attempts (at byte ${outcome.missing[0]?.position})`,
        );
      }
      await this.fetchMissing(outcome.missing);
    }
  }

  /**
   * Runs `op` once, synchronously, on a fresh open of the file.
   * @param zerosFrom - called by `op` to let missing reads return zeros from then on
   */
  private attempt<T>(op: (file: File, zerosFrom: () => void) => T): { result?: T; error?: unknown; reads: AttemptReads } {
    const path = this.createNode();
    const reads: AttemptReads = { count: 0, last: undefined, missed: [] };
    this.reads = reads;
    let file: File | undefined;
    try {
      file = new this.h5wasm.File(path, "r");
      const result = op(file, () => {
        this.zerosForMissing = true;
      });
      return { result, reads };
    } catch (error) {
      return { error, reads };
    } finally {
      this.zerosForMissing = false;
      try {
        file?.close();
      } catch {
        // a file whose open or read failed may not close cleanly; it is never opened again
      }
      this.fs.unlink(path);
    }
  }
}

/**
 * Opens an HDF5 file by byte ranges: only HDF5's metadata and what reads need is fetched.
 * @example
 * const { source, head } = await httpByteSource("https://example.org/run.h5");
 * const file = await openRangeFile(source, { prefetched: [{ offset: 0, bytes: head }] });
 * const names = await file.run((f) => f.keys());
 * @throws {InvalidFormatError} naming the source when it is not an HDF5 file h5wasm can open;
 *   {ReadError} when fetching fails
 */
export async function openRangeFile(source: ByteSource, options: RangeFileOptions = {}): Promise<RangeFile> {
  const { h5wasm, module } = await ready();
  const file = new RangeFile(source, h5wasm, module, options);
  await file
    .run(() => undefined)
    .catch((err) => {
      if (err instanceof ReadError) throw err;
      throw new InvalidFormatError(source.name, "is not an HDF5 file h5wasm can open", { cause: err });
    });
  return file;
}
