import {
  type AnyTypedArray,
  FlacArray,
  FORMAT_VERSION,
  type FromArrayOptions,
  _internalFlacChannels as flacChannels,
  InvalidArgumentError,
  NAMES,
  SOFTWARE_VERSION,
} from "@flacarray/core";
import type { Dataset, Group } from "h5wasm";
import { isGroup, locationOf } from "./h5-entities.js";
import { DEFAULT_MAX_TRANSFER_BYTES, writeBytes } from "./transfer.js";

/** Options of {@link writeFlacArray}. */
export interface WriteOptions {
  /**
   * Largest transfer into h5wasm. `compressed` up to this size is one contiguous dataset, as
   * Python writes it; larger data goes into a chunked dataset (4 MiB chunks, no filter) written
   * in pieces, because every transfer must fit h5wasm's 2 GiB heap. Default 256 MiB.
   */
  maxTransferBytes?: number;
}

/** Chunk size of a `compressed` dataset too large for one transfer. */
export const LARGE_CHUNK_BYTES = 4 * 1024 * 1024;

/** An empty, resizable, chunked `compressed` dataset (4 MiB chunks, no filter). */
export function createGrowingBytes(group: Group): Dataset {
  return group.create_dataset({
    name: NAMES.compressed,
    data: new Uint8Array(0),
    shape: [0],
    maxshape: [null],
    chunks: [LARGE_CHUNK_BYTES],
    dtype: "<B",
  });
}

/**
 * Writes a FlacArray into a group, as Python's `FlacArray.write_hdf5`: format "1" attributes and
 * datasets, other members of the group left alone. Everything is checked before the first
 * write; the attributes that mark the group as a flacarray are written last.
 * @param group - an h5wasm `File` or `Group` opened for writing (the root or any nested group)
 * @throws {InvalidArgumentError} when the group already has a member or attribute of a flacarray name
 * @example
 * writeFlacArray(FlacArray.fromArray({ data, shape: [385, 30000] }), file.create_group("ap"));
 */
export function writeFlacArray(fa: FlacArray, group: Group, options: WriteOptions = {}): void {
  assertWritable(group);
  const maxTransferBytes = options.maxTransferBytes ?? DEFAULT_MAX_TRANSFER_BYTES;
  const compressed = fa.compressed;
  if (compressed.length <= maxTransferBytes) {
    group.create_dataset({ name: NAMES.compressed, data: compressed, dtype: "<B" });
  } else {
    const dataset = createGrowingBytes(group);
    dataset.resize([compressed.length]);
    writeBytes(dataset, 0, compressed, maxTransferBytes);
  }
  writeTablesAndAttributes(group, fa);
}

/** What {@link writeTablesAndAttributes} writes: a FlacArray's tables, or those of appended streams. */
export type StreamTables = Pick<
  FlacArray,
  "leadingShape" | "streamStarts" | "streamBytes" | "streamOffsets" | "streamGains" | "streamSize" | "dtype"
>;

/** Writes the stream tables and the group attributes, the marking ones last. */
export function writeTablesAndAttributes(group: Group, fa: StreamTables): void {
  const leading = fa.leadingShape;
  const starts = group.create_dataset({ name: NAMES.streamStarts, data: fa.streamStarts, shape: leading, dtype: "<q" });
  starts.create_attribute(NAMES.streamSize, BigInt64Array.of(BigInt(fa.streamSize)), [], "<q");
  group.create_dataset({ name: NAMES.streamBytes, data: fa.streamBytes, shape: leading, dtype: "<q" });
  if (fa.streamOffsets && fa.streamGains) {
    const dtype = fa.dtype === "float32" ? "<f" : "<d";
    group.create_dataset({ name: NAMES.streamOffsets, data: fa.streamOffsets, shape: leading, dtype });
    group.create_dataset({ name: NAMES.streamGains, data: fa.streamGains, shape: leading, dtype });
  }
  group.create_attribute(NAMES.softwareVersion, SOFTWARE_VERSION);
  group.create_attribute(NAMES.flacChannels, String(flacChannels({ formatVersion: 1, dtype: fa.dtype })));
  group.create_attribute(NAMES.formatVersion, FORMAT_VERSION);
}

/**
 * Checks that a group can take a flacarray: it is a group, and none of the flacarray names is taken.
 * @throws {InvalidArgumentError} naming the group and the name already there
 */
export function assertWritable(group: Group): void {
  if (!isGroup(group)) throw new InvalidArgumentError("expected an h5wasm Group or File to write into");
  const members = new Set(group.keys());
  const dataset = [NAMES.compressed, NAMES.streamStarts, NAMES.streamBytes, NAMES.streamOffsets, NAMES.streamGains].find((n) =>
    members.has(n),
  );
  const attribute = [NAMES.formatVersion, NAMES.flacChannels].find((n) => Object.hasOwn(group.attrs, n));
  if (dataset || attribute) {
    const what = dataset ? `a member "${dataset}"` : `an attribute "${attribute}"`;
    throw new InvalidArgumentError(`${locationOf(group)} already has ${what}: write into a new group`);
  }
}

/** Options of {@link writeArray}: compression options plus write options. */
export interface WriteArrayOptions extends Omit<FromArrayOptions, "verify">, WriteOptions {
  /** Decode every stream after compressing it and compare. Default true. */
  verify?: boolean;
}

/**
 * Compresses an array and writes it into a group, as Python's `flacarray.hdf5.write_array`.
 * @param arr - `{ data, shape }` in C order, or a bare typed array (one stream)
 * @throws the errors of {@link FlacArray.fromArray} and {@link writeFlacArray}
 * @example
 * writeArray({ data: samples, shape: [385, 30000] }, file.create_group("ap"), { level: 5 });
 */
export function writeArray<T extends AnyTypedArray>(
  arr: T | { data: T; shape: readonly number[] },
  group: Group,
  options: WriteArrayOptions = {},
): void {
  const { maxTransferBytes, ...compression } = options;
  assertWritable(group); // before the work of compressing
  writeFlacArray(FlacArray.fromArray(arr, compression), group, { maxTransferBytes });
}

/** Options of {@link writeArrayAsync}. */
export interface WriteArrayAsyncOptions extends WriteArrayOptions {
  /** Compress on this many workers (worker threads in Node, Web Workers in browsers). Default: the number of cores. */
  workers?: number;
}

/**
 * {@link writeArray} with the compression on workers, as {@link FlacArray.fromArrayAsync}: the
 * same bytes, written on this thread.
 * @throws the errors of {@link writeArray}; {@link WorkerError} when a worker cannot start or dies
 */
export async function writeArrayAsync<T extends AnyTypedArray>(
  arr: T | { data: T; shape: readonly number[] },
  group: Group,
  options: WriteArrayAsyncOptions = {},
): Promise<void> {
  const { maxTransferBytes, ...compression } = options;
  assertWritable(group);
  const fa = await FlacArray.fromArrayAsync(arr, compression);
  assertWritable(group); // the file may have changed while the workers ran
  writeFlacArray(fa, group, { maxTransferBytes });
}
