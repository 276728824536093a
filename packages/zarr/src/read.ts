import {
  _internalAllocateResult as allocateResult,
  _internalAllocateSharedResult as allocateSharedResult,
  _internalAssembleLayout as assembleLayout,
  type ByteRange,
  _internalCheckTableShapes as checkTableShapes,
  type DataType,
  type DecodedArray,
  _internalDecodeOnWorkers as decodeOnWorkers,
  _internalDecodeRange as decodeRange,
  _internalDescribeValue as describeValue,
  type FlacArray,
  type FoundTable,
  forEachLimited,
  type HttpOptions,
  InvalidFormatError,
  isFlacArrayError,
  NAMES,
  NotFoundError,
  _internalPackedFlacArray as packedFlacArray,
  _internalParseFormatVersion as parseFormatVersion,
  _internalPlanPackedRead as planPackedRead,
  _internalPlanRead as planRead,
  _internalPlanResult as planResult,
  type ReadOptions,
  type StoredLayout,
  _internalWorkerCount as workerCount,
} from "@flacarray/core";
import type { AbsolutePath } from "@zarrita/storage";
import * as zarr from "zarrita";
import { CompressedBytes } from "./compressed-bytes.js";
import { describe, type GroupSource, type StrictStore, toLocation } from "./location.js";
import { arrayMetadataKeys, groupMetadataKeys, PrefetchingStore } from "./prefetched.js";

/** Options of {@link readArray}. With a URL: `timeoutMs`, `maxBytes` and `headers` of every request. */
export interface ReadArrayOptions extends ReadOptions, HttpOptions {
  /** Largest byte range fetched in one request; neighbouring streams share requests up to it. Default 8 MiB. */
  maxRangeBytes?: number;
  /** Requests in flight at once. Default 8. */
  concurrency?: number;
  /**
   * Decode on this many workers (worker threads in Node, Web Workers in browsers) while the
   * bytes are fetched on this thread. Default: decode here, on this thread.
   */
  workers?: number;
}

/** A flacarray group as found in a store: its layout, and a reader of its `compressed` bytes. */
export interface StoredZarrGroup {
  layout: StoredLayout;
  compressed: CompressedBytes;
  /** `store/path` of the group, for messages. */
  where: string;
  /** The group's attributes. */
  attrs: Record<string, unknown>;
}

const DEFAULT_MAX_RANGE_BYTES = 8 * 1024 * 1024;

/** Zarr format of a group, found when it is opened: its arrays are opened in the same one, without probing the other. */
type ZarrVersion = "v2" | "v3";

/** Opens a member array in the group's format (its attributes only when `attrs`: `stream_starts` has `stream_size`), with typed errors. */
async function openArray(
  group: zarr.Group<StrictStore>,
  version: ZarrVersion,
  name: string,
  where: string,
  required: true,
): Promise<zarr.Array<zarr.DataType, StrictStore>>;
async function openArray(
  group: zarr.Group<StrictStore>,
  version: ZarrVersion,
  name: string,
  where: string,
  required: false,
): Promise<zarr.Array<zarr.DataType, StrictStore> | null>;
async function openArray(group: zarr.Group<StrictStore>, version: ZarrVersion, name: string, where: string, required: boolean) {
  try {
    const location = group.resolve(name);
    return version === "v2"
      ? await zarr.open.v2(location, { kind: "array", attrs: name === NAMES.streamStarts })
      : await zarr.open.v3(location, { kind: "array" });
  } catch (err) {
    if (isFlacArrayError(err)) throw err;
    if ((err as { _tag?: string })._tag === "NotFoundError") {
      if (!required) return null;
      throw new NotFoundError(`${where}/${name}`, "array is missing (no .zarray or zarr.json)", { cause: err });
    }
    throw new InvalidFormatError(`${where}/${name}`, `cannot be opened: ${(err as Error).message}`, { cause: err });
  }
}

/** All values of a small array (a stream table). */
async function values(array: zarr.Array<zarr.DataType, StrictStore>, path: string): Promise<unknown> {
  try {
    return (await zarr.get(array)).data;
  } catch (err) {
    if (isFlacArrayError(err)) throw err;
    const cause = (err as { cause?: unknown }).cause;
    if (isFlacArrayError(cause)) throw cause;
    throw new InvalidFormatError(path, `cannot be read: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Reads the attributes and stream tables of a flacarray group (Zarr v2 or v3, format "1" or 0)
 * and checks them, without reading any compressed byte.
 * @throws {NotFoundError} when there is no group, no flacarray in it, or a missing array or chunk
 * @throws {FormatVersionError} for an unknown `flacarray_format_version`
 * @throws {InvalidFormatError} for wrong dtypes or stream tables that disagree with the data
 * @throws {ReadError} when the store fails: an HTTP error status, a deadline passed, a body cut short or too long
 * @param http - with a URL: deadline (`timeoutMs`, default 30 s), byte cap and headers of every
 *   request, and where the stream tables' first chunks are likely to be
 */
export async function openStoredGroup(source: GroupSource, http: OpenStoredGroupOptions = {}): Promise<StoredZarrGroup> {
  let location = toLocation(source, http);
  // over a network every metadata document is a round trip: those whose turn comes together are requested together
  const prefetching = (location.store.inner as { url?: unknown }).url !== undefined ? new PrefetchingStore(location.store) : undefined;
  if (prefetching) {
    location = new zarr.Location(prefetching, location.path);
    prefetching.prefetch(groupMetadataKeys(location));
  }
  const where = describe(location);
  let group: zarr.Group<StrictStore>;
  let zarrVersion: ZarrVersion = "v2";
  try {
    group = await zarr.open.v2(location, { kind: "group" });
  } catch (v2) {
    if (isFlacArrayError(v2)) throw v2;
    try {
      group = await zarr.open.v3(location, { kind: "group" });
      zarrVersion = "v3";
    } catch (err) {
      if (isFlacArrayError(err)) throw err;
      throw new NotFoundError(where, "is not a Zarr group (no .zgroup or zarr.json)", { cause: err });
    }
  }
  const attrs = group.attrs;
  if (!(NAMES.formatVersion in attrs)) throw new NotFoundError(where, `holds no flacarray (no ${NAMES.formatVersion} attribute)`);
  const version = parseFormatVersion(attrs[NAMES.formatVersion], where);
  if (zarrVersion === "v2") {
    prefetching?.prefetch(
      arrayMetadataKeys(location, [
        { name: NAMES.compressed, withAttrs: false },
        { name: NAMES.streamStarts, withAttrs: true },
        { name: NAMES.streamBytes, withAttrs: false },
        { name: NAMES.streamOffsets, withAttrs: false },
        { name: NAMES.streamGains, withAttrs: false },
      ]),
    );
    // the tables' first chunks too, at their likely key: when it is right, the tables come a round trip sooner
    const chunk = http.tableChunkKey?.(attrs) ?? "0";
    prefetching?.prefetch([NAMES.streamStarts, NAMES.streamBytes].map((name) => location.resolve(`${name}/${chunk}`).path as AbsolutePath));
  }
  const [compressed, starts, bytes, offsets, gains] = await Promise.all([
    openArray(group, zarrVersion, NAMES.compressed, where, true),
    openArray(group, zarrVersion, NAMES.streamStarts, where, true),
    openArray(group, zarrVersion, NAMES.streamBytes, where, true),
    openArray(group, zarrVersion, NAMES.streamOffsets, where, false),
    openArray(group, zarrVersion, NAMES.streamGains, where, false),
  ]);
  const found = { compressed, starts, bytes, offsets, gains };
  const arrays = [
    [NAMES.compressed, compressed],
    [NAMES.streamStarts, starts],
    [NAMES.streamBytes, bytes],
    [NAMES.streamOffsets, offsets],
    [NAMES.streamGains, gains],
  ] as const;
  for (const [name, array] of arrays) if (array) checkChunking(array, `${where}/${name}`);
  checkTableShapes({ ...found, compressed: { dtype: compressed.dtype, shape: compressed.shape } }, where);
  /** A table with its values fetched now (zarr reads are async; the checks run afterwards). */
  const table = async (array: zarr.Array<zarr.DataType, StrictStore> | null, name: string) => {
    if (!array) return null;
    const data = (await values(array, `${where}/${name}`)) as ArrayLike<number | bigint>;
    return { dtype: array.dtype, shape: array.shape, values: () => data };
  };
  // at once: over HTTP each is a round trip
  const [startsTable, bytesTable, offsetsTable, gainsTable, compressedBytes] = await Promise.all([
    table(starts, NAMES.streamStarts),
    table(bytes, NAMES.streamBytes),
    table(offsets, NAMES.streamOffsets),
    table(gains, NAMES.streamGains),
    CompressedBytes.open(compressed as zarr.Array<"uint8", StrictStore>, where),
  ]);
  const layout = assembleLayout(
    {
      version,
      channels: attrs[NAMES.flacChannels],
      compressed: { dtype: compressed.dtype, shape: compressed.shape },
      streamSize: starts.attrs[NAMES.streamSize],
      starts: startsTable as FoundTable,
      bytes: bytesTable as FoundTable,
      offsets: offsetsTable,
      gains: gainsTable,
    },
    where,
  );
  return { layout, compressed: compressedBytes, where, attrs };
}

/** Options of {@link openStoredGroup}. */
export interface OpenStoredGroupOptions extends HttpOptions {
  /**
   * The key of the stream tables' first chunk in a Zarr v2 group with these attributes: over
   * HTTP it is requested with the arrays' metadata, not after it. A wrong guess costs one
   * request, never a wrong value (the tables are read as their metadata says). Default `"0"`,
   * the key for the one-dimensional tables of one- and two-dimensional arrays (Python's layout).
   */
  tableChunkKey?: (attrs: Readonly<Record<string, unknown>>) => string;
}

/** Chunks an array may have beyond its first 64: one per 1024 entries (zarr-python's own chunks are far larger). */
const ENTRIES_PER_CHUNK = 1024;

/**
 * Refuses an array split into more chunks than its size justifies, before any chunk is fetched:
 * over HTTP each chunk is a request, so `shape [1e6], chunks [1]` would be a million of them.
 * @throws {InvalidFormatError} naming the array, its shape and its chunks
 */
function checkChunking(array: zarr.Array<zarr.DataType, StrictStore>, path: string): void {
  const { shape, chunks } = array as { shape: unknown; chunks: unknown };
  const counts = (v: unknown, min: number): v is number[] =>
    Array.isArray(v) && v.every((d) => Number.isSafeInteger(d) && (d as number) >= min);
  if (!counts(shape, 0) || !counts(chunks, 1) || chunks.length !== shape.length) {
    throw new InvalidFormatError(
      path,
      `has shape ${describeValue(shape)} and chunks ${describeValue(chunks)}: expected lists of whole numbers of one length`,
    );
  }
  const count = shape.reduce((n, d, i) => n * Math.ceil(d / chunks[i]), 1);
  const entries = shape.reduce((n, d) => n * d, 1);
  if (count > 64 + entries / ENTRIES_PER_CHUNK) {
    throw new InvalidFormatError(
      path,
      `has shape (${array.shape}) in chunks of (${array.chunks}): ${count} chunks, more than ${Math.floor(64 + entries / ENTRIES_PER_CHUNK)} for its size`,
    );
  }
}

/**
 * Reads a flacarray group and decompresses it, as Python's `flacarray.zarr.read_array`. Only the
 * selected streams are fetched: their byte ranges when chunks are raw, their chunks otherwise.
 * @param source - a zarrita Group or Location, or the http(s) URL of a group
 * @returns `{ data, shape }`, and `indices` with `keepIndices`
 * @throws {NotFoundError} {FormatVersionError} {InvalidFormatError} {ReadError} as {@link openStoredGroup}
 * @throws {InvalidSelectionError} for a keep mask of the wrong shape or a slice outside the streams
 * @throws {InvalidStreamError} for a corrupt stream, naming the group, stream and byte offset
 * @example
 * const { data, shape } = await readArray("https://example.org/rec.zarr/ap", { keep, streamSlice: [0, 30000] });
 */
export async function readArray<D extends DataType = DataType>(
  source: GroupSource,
  options: ReadArrayOptions = {},
): Promise<DecodedArray<D>> {
  const { layout, compressed, where } = await openStoredGroup(source, options);
  const plan = planRead<D>(layout, options, options.maxRangeBytes ?? DEFAULT_MAX_RANGE_BYTES);
  if (options.workers !== undefined) {
    const data = allocateSharedResult(plan);
    await decodeOnWorkers(plan, (pieces) => compressed.reader(pieces), data, workerCount(options.workers), where);
    return planResult(plan, data);
  }
  const data = allocateResult(plan);
  const read = compressed.reader(plan.ranges);
  await forEachLimited(plan.ranges, options.concurrency ?? 8, async (range) => decodeRange(plan, range, await read(range), data, where));
  return planResult(plan, data);
}

/** Options of {@link readFlacArray}. With a URL: `timeoutMs`, `maxBytes` and `headers` of every request. */
export interface ReadFlacArrayOptions extends HttpOptions {
  /** Keep only these streams: a boolean mask of the leading shape. */
  keep?: ReadOptions["keep"];
  /** Requests in flight at once. Default 8. */
  concurrency?: number;
}

/**
 * Reads a flacarray group into a {@link FlacArray} without decompressing it, as Python's
 * `FlacArray.read_zarr`. With `keep`, only the kept streams are fetched; the result has shape
 * `(nKept, n)`, or `(n,)` when one stream is kept.
 * @throws {FormatVersionError} for format-0 int64 and float64 groups (use {@link readArray})
 * @throws the errors of {@link readArray}
 */
export async function readFlacArray<D extends DataType = DataType>(
  source: GroupSource,
  options: ReadFlacArrayOptions = {},
): Promise<FlacArray<D>> {
  const { layout, compressed, where } = await openStoredGroup(source, options);
  const read = planPackedRead<D>(layout, options.keep, where, DEFAULT_MAX_RANGE_BYTES);
  const fetch = compressed.reader(read.plan.ranges);
  const indices = read.plan.ranges.map((_, i) => i);
  await forEachLimited(indices, options.concurrency ?? 8, async (i) => {
    const range = read.plan.ranges[i] as ByteRange;
    const at = read.rangeOffsets[i] as number;
    await fetch(range, read.packed.subarray(at, at + range.end - range.start));
  });
  return packedFlacArray(read);
}
