import {
  _internalAllocateResult as allocateResult,
  _internalAllocateSharedResult as allocateSharedResult,
  _internalAssembleLayout as assembleLayout,
  type DataType,
  type DecodedArray,
  _internalDecodeOnWorkers as decodeOnWorkers,
  _internalDecodeRange as decodeRange,
  type FlacArray,
  type FoundTable,
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
import type { Dataset, Group } from "h5wasm";
import { getAttribute, getDataset, getOptionalDataset, guardHdf5, isGroup, locationOf, numpyDtype } from "./h5-entities.js";
import { DEFAULT_MAX_TRANSFER_BYTES, readBytes, withBytes } from "./transfer.js";

/** Options of {@link readArray}. */
export interface ReadArrayOptions extends ReadOptions {
  /**
   * Largest byte range read from `compressed` in one h5wasm call. Streams that follow each other
   * are read together up to this size; every transfer must fit h5wasm's 2 GiB heap.
   * Default 256 MiB.
   */
  maxTransferBytes?: number;
}

/** A flacarray group as found in a file: its layout and its `compressed` dataset, not yet read. */
export interface StoredGroup {
  layout: StoredLayout;
  compressed: Dataset;
  /** `file.h5:/path` of the group, for messages. */
  where: string;
}

/**
 * Reads the attributes and stream tables of a flacarray group (format "1" or 0) and checks
 * them, without reading any compressed byte.
 * @throws {NotFoundError} when the group holds no flacarray or a dataset is missing
 * @throws {FormatVersionError} for an unknown `flacarray_format_version`
 * @throws {InvalidFormatError} for wrong dtypes or stream tables that disagree with the data
 */
export function openStoredGroup(group: Group): StoredGroup {
  if (!isGroup(group)) throw new NotFoundError(String((group as { path?: unknown })?.path), "is not an HDF5 group");
  const where = locationOf(group);
  return guardHdf5(where, () => {
    const versionAttribute = getAttribute(group, NAMES.formatVersion);
    if (versionAttribute === undefined) {
      throw new NotFoundError(where, `holds no flacarray (no ${NAMES.formatVersion} attribute)`);
    }
    const version = parseFormatVersion(versionAttribute.value, where);
    const compressed = getDataset(group, NAMES.compressed);
    const table = (dataset: Dataset | null) =>
      dataset && { dtype: numpyDtype(dataset), shape: dataset.shape ?? [], values: () => dataset.value as ArrayLike<number | bigint> };
    const starts = getDataset(group, NAMES.streamStarts);
    const layout = assembleLayout(
      {
        version,
        channels: getAttribute(group, NAMES.flacChannels)?.value,
        compressed: { dtype: numpyDtype(compressed), shape: compressed.shape ?? [] },
        streamSize: getAttribute(starts, NAMES.streamSize)?.value,
        starts: table(starts) as FoundTable,
        bytes: table(getDataset(group, NAMES.streamBytes)) as FoundTable,
        offsets: table(getOptionalDataset(group, NAMES.streamOffsets)),
        gains: table(getOptionalDataset(group, NAMES.streamGains)),
      },
      where,
    );
    return { layout, compressed, where };
  });
}

/**
 * Reads a flacarray group and decompresses it, as Python's `flacarray.hdf5.read_array` does.
 * Only the bytes of the selected streams are read from `compressed` (hyperslab reads).
 * @param group - an h5wasm `File` or `Group` that holds a flacarray (format "1" or 0)
 * @returns `{ data, shape }`, and `indices` with `keepIndices`
 * @throws {NotFoundError} when the group holds no flacarray or a dataset is missing
 * @throws {FormatVersionError} for an unknown format version
 * @throws {InvalidFormatError} for wrong dtypes or inconsistent stream tables
 * @throws {InvalidSelectionError} for a keep mask of the wrong shape or a slice outside the streams
 * @throws {InvalidStreamError} for a corrupt stream, naming the group, stream and byte offset
 * @example
 * const { data, shape } = readArray(file.get("ap") as Group, { keep: channelMask, streamSlice: [0, 30000] });
 */
export function readArray<D extends DataType = DataType>(group: Group, options: ReadArrayOptions = {}): DecodedArray<D> {
  const { layout, compressed, where } = openStoredGroup(group);
  const plan = planRead<D>(layout, options, options.maxTransferBytes ?? DEFAULT_MAX_TRANSFER_BYTES);
  const data = allocateResult(plan);
  for (const range of plan.ranges) {
    // the bytes are decoded where h5wasm read them; decode errors are ours, not HDF5's (guardHdf5 passes them on)
    guardHdf5(`${where}/${NAMES.compressed}`, () =>
      withBytes(compressed, range.start, range.end, (bytes) => decodeRange(plan, range, bytes, data, where)),
    );
  }
  return planResult(plan, data);
}

/** Options of {@link readArrayAsync}. */
export interface ReadArrayAsyncOptions extends ReadArrayOptions {
  /** Decode on this many workers (worker threads in Node, Web Workers in browsers). Default: the number of cores. */
  workers?: number;
}

/**
 * {@link readArray} with the decoding on workers: HDF5 reads stay on this thread (h5wasm is
 * synchronous), the streams they return are decoded in parallel, into the same values.
 * @throws the errors of {@link readArray}; {@link WorkerError} when a worker cannot start or dies
 */
export async function readArrayAsync<D extends DataType = DataType>(
  group: Group,
  options: ReadArrayAsyncOptions = {},
): Promise<DecodedArray<D>> {
  const { layout, compressed, where } = openStoredGroup(group);
  const plan = planRead<D>(layout, options, options.maxTransferBytes ?? DEFAULT_MAX_TRANSFER_BYTES);
  const data = allocateSharedResult(plan);
  const read = () => (piece: { start: number; end: number }) =>
    guardHdf5(`${where}/${NAMES.compressed}`, () => readBytes(compressed, piece.start, piece.end));
  await decodeOnWorkers(plan, read, data, workerCount(options.workers), where);
  return planResult(plan, data);
}

/** Options of {@link readFlacArray}. */
export interface ReadFlacArrayOptions {
  /** Keep only these streams: a boolean mask of the leading shape. */
  keep?: ReadOptions["keep"];
  /** Largest byte range read in one h5wasm call. Default 256 MiB. */
  maxTransferBytes?: number;
}

/**
 * Reads a flacarray group into a {@link FlacArray} without decompressing it, as Python's
 * `FlacArray.read_hdf5`. With `keep`, only the kept streams are read; the result has shape
 * `(nKept, n)`, or `(n,)` when one stream is kept.
 * @throws {FormatVersionError} for format-0 int64 and float64 groups, whose mono int32 streams a
 *   FlacArray cannot hold (use {@link readArray})
 * @throws the errors of {@link readArray}
 */
export function readFlacArray<D extends DataType = DataType>(group: Group, options: ReadFlacArrayOptions = {}): FlacArray<D> {
  const { layout, compressed, where } = openStoredGroup(group);
  const read = planPackedRead<D>(layout, options.keep, where, options.maxTransferBytes ?? DEFAULT_MAX_TRANSFER_BYTES);
  read.plan.ranges.forEach((range, i) => {
    guardHdf5(`${where}/${NAMES.compressed}`, () =>
      withBytes(compressed, range.start, range.end, (bytes) => read.packed.set(bytes, read.rangeOffsets[i])),
    );
  });
  return packedFlacArray(read);
}
