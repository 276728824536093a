import {
  type AnyTypedArray,
  FlacArray,
  FORMAT_VERSION,
  type FromArrayOptions,
  _internalFlacChannels as flacChannels,
  InvalidArgumentError,
  NAMES,
  ReadError,
  SOFTWARE_VERSION,
} from "@flacarray/core";
import type { AbsolutePath, Mutable } from "@zarrita/storage";
import type * as zarr from "zarrita";
import { join } from "./json.js";

/** Options of {@link writeFlacArray}. */
export interface WriteOptions {
  /**
   * Bytes per chunk file of `compressed`. Default 4 MiB: FLAC bytes compress little further, so
   * chunks are stored raw and a stream is a byte range of one or two chunk files, which a
   * reader fetches with a range request; Python reads whole chunks, so they stay a few MB.
   */
  chunkBytes?: number;
}

export const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;

/** JSON as zarr-python 2 writes it: keys sorted, four-space indent. */
function zarrJson(value: Record<string, unknown>): Uint8Array {
  const sorted = (v: unknown): unknown =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v as object)
            .sort()
            .map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
        )
      : v;
  return new TextEncoder().encode(JSON.stringify(sorted(value), null, 4));
}

/** A group location on a writable store. */
export type WritableLocation = zarr.Location<Mutable>;

async function get(store: Mutable, key: AbsolutePath): Promise<Uint8Array | undefined> {
  try {
    return await store.get(key);
  } catch (err) {
    throw new ReadError(key, `reading failed: ${(err as Error).message}`, { cause: err });
  }
}

async function readAttrs(store: Mutable, key: AbsolutePath): Promise<Record<string, unknown>> {
  const bytes = await get(store, key);
  return bytes ? JSON.parse(new TextDecoder().decode(bytes)) : {};
}

/**
 * Checks that a location can take a flacarray: a writable store, not a Zarr v3 group, and none
 * of the flacarray names taken.
 * @throws {InvalidArgumentError} naming the location and what is in the way
 */
export async function assertWritable(group: WritableLocation): Promise<void> {
  const store = group.store;
  if (typeof (store as { set?: unknown }).set !== "function") throw new InvalidArgumentError(`${group.path}: the store is read-only`);
  if (await get(store, join(group.path, "zarr.json"))) {
    throw new InvalidArgumentError(`${group.path} is a Zarr v3 group; this package writes Zarr v2: write into a new location`);
  }
  const attrs = await readAttrs(store, join(group.path, ".zattrs"));
  if (NAMES.formatVersion in attrs) throw new InvalidArgumentError(`${group.path} already holds a flacarray: write into a new group`);
  for (const name of [NAMES.compressed, NAMES.streamStarts, NAMES.streamBytes, NAMES.streamOffsets, NAMES.streamGains]) {
    const path = join(group.path, name);
    if ((await get(store, join(path, ".zarray"))) || (await get(store, join(path, ".zgroup")))) {
      throw new InvalidArgumentError(`${group.path} already has a member "${name}": write into a new group`);
    }
  }
}

/** Writes one single-chunk Zarr v2 array holding `data` with `shape`. */
async function writeTable(
  store: Mutable,
  path: AbsolutePath,
  data: BigInt64Array | Float32Array | Float64Array,
  shape: readonly number[],
  attrs?: Record<string, unknown>,
): Promise<void> {
  const dtype = data instanceof BigInt64Array ? "<i8" : data instanceof Float32Array ? "<f4" : "<f8";
  const fill = data instanceof BigInt64Array ? 0 : 0.0;
  await store.set(
    join(path, ".zarray"),
    zarrJson({ zarr_format: 2, shape, chunks: shape, dtype, compressor: null, fill_value: fill, filters: null, order: "C" }),
  );
  if (attrs) await store.set(join(path, ".zattrs"), zarrJson(attrs));
  await store.set(join(path, shape.map(() => "0").join(".")), new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

/** Creates `.zgroup` at `path` and at every ancestor that is not yet a group. */
async function ensureGroups(store: Mutable, path: string): Promise<void> {
  const parts = path.split("/").filter(Boolean);
  for (let depth = 0; depth <= parts.length; depth++) {
    const at = `/${parts.slice(0, depth).join("/")}`;
    if (!(await get(store, join(at, ".zgroup"))) && !(await get(store, join(at, "zarr.json")))) {
      await store.set(join(at, ".zgroup"), zarrJson({ zarr_format: 2 }));
    }
  }
}

/**
 * Writes a FlacArray into a Zarr group as Zarr v2, which zarr-python 2 and 3 both read, with
 * Python flacarray's names and attributes. `compressed` is stored raw in chunks of
 * `chunkBytes`. Other members and attributes of the group are left alone; the group
 * attributes that mark it as a flacarray are written last.
 * @param group - a zarrita Location or Group on a writable store (`openZarr(path)` in Node)
 * @throws {InvalidArgumentError} for a read-only store, a v3 group, or a group that already holds a flacarray
 * @example
 * await writeFlacArray(fa, openZarr("rec.zarr").resolve("ap"));
 */
export async function writeFlacArray(fa: FlacArray, group: WritableLocation, options: WriteOptions = {}): Promise<void> {
  await assertWritable(group);
  await writeChecked(fa, group, options);
}

async function writeChecked(fa: FlacArray, group: WritableLocation, options: WriteOptions): Promise<void> {
  const chunk = Math.max(1, Math.min(options.chunkBytes ?? DEFAULT_CHUNK_BYTES, fa.nbytes));
  const compressedPath = join(group.path, NAMES.compressed);
  for (let k = 0; k * chunk < fa.nbytes; k++)
    await writeChunk(group.store, compressedPath, k, fa.compressed.subarray(k * chunk, (k + 1) * chunk), chunk);
  await finishGroup(group, fa, chunk);
}

/** Writes chunk `k` of `compressed`: zarr v2 chunks are full size, the last one padded. */
export async function writeChunk(
  store: Mutable,
  compressedPath: AbsolutePath,
  k: number,
  bytes: Uint8Array,
  chunkBytes: number,
): Promise<void> {
  if (bytes.length < chunkBytes) {
    const padded = new Uint8Array(chunkBytes);
    padded.set(bytes);
    bytes = padded;
  }
  await store.set(join(compressedPath, String(k)), bytes);
}

/** What {@link finishGroup} writes: a FlacArray's tables, or those of streams appended one by one. */
export type StreamTables = Pick<
  FlacArray,
  "nbytes" | "leadingShape" | "streamStarts" | "streamBytes" | "streamOffsets" | "streamGains" | "streamSize" | "dtype"
>;

/**
 * Writes everything but the chunks of `compressed`: its `.zarray`, the stream tables and the
 * group attributes, the marking ones last.
 */
export async function finishGroup(group: WritableLocation, fa: StreamTables, chunkBytes: number): Promise<void> {
  const store = group.store;
  await store.set(
    join(join(group.path, NAMES.compressed), ".zarray"),
    zarrJson({
      zarr_format: 2,
      shape: [fa.nbytes],
      chunks: [chunkBytes],
      dtype: "|u1",
      compressor: null,
      fill_value: 0,
      filters: null,
      order: "C",
    }),
  );
  const leading = fa.leadingShape;
  await writeTable(store, join(group.path, NAMES.streamStarts), fa.streamStarts, leading, { [NAMES.streamSize]: fa.streamSize });
  await writeTable(store, join(group.path, NAMES.streamBytes), fa.streamBytes, leading);
  if (fa.streamOffsets && fa.streamGains) {
    await writeTable(store, join(group.path, NAMES.streamOffsets), fa.streamOffsets, leading);
    await writeTable(store, join(group.path, NAMES.streamGains), fa.streamGains, leading);
  }
  await ensureGroups(store, group.path);
  const attrsKey = join(group.path, ".zattrs");
  const attrs = await readAttrs(store, attrsKey);
  attrs[NAMES.softwareVersion] = SOFTWARE_VERSION;
  attrs[NAMES.flacChannels] = String(flacChannels({ formatVersion: 1, dtype: fa.dtype }));
  attrs[NAMES.formatVersion] = FORMAT_VERSION;
  await store.set(attrsKey, zarrJson(attrs));
}

/** Options of {@link writeArray}: compression options plus write options. */
export interface WriteArrayOptions extends FromArrayOptions, WriteOptions {
  /** Compress on this many workers (worker threads in Node, Web Workers in browsers), as {@link FlacArray.fromArrayAsync}. Default: on this thread. */
  workers?: number;
}

/**
 * Compresses an array and writes it into a Zarr group, as Python's `flacarray.zarr.write_array`.
 * @param arr - `{ data, shape }` in C order, or a bare typed array (one stream)
 * @throws the errors of {@link FlacArray.fromArray} and {@link writeFlacArray}
 * @example
 * await writeArray({ data, shape: [385, 30000] }, openZarr("rec.zarr").resolve("ap"));
 */
export async function writeArray<T extends AnyTypedArray>(
  arr: T | { data: T; shape: readonly number[] },
  group: WritableLocation,
  options: WriteArrayOptions = {},
): Promise<void> {
  const { chunkBytes, workers, ...compression } = options;
  await assertWritable(group); // before the work of compressing
  const fa =
    workers === undefined ? FlacArray.fromArray(arr, compression) : await FlacArray.fromArrayAsync(arr, { ...compression, workers });
  await writeChecked(fa, group, { chunkBytes });
}
