/**
 * The stored layout of a flacarray group, shared by the HDF5 and Zarr packages: the on-disk
 * names, the dtype rules of both format versions, and the consistency checks a reader makes
 * before it reads any compressed byte.
 */
import { channelsOf, type DataType, sizeOf } from "./dtypes.js";
import { describeValue, FormatVersionError, InvalidFormatError, NotFoundError } from "./errors.js";
import { MIN_STREAM_BYTES, maxSamplesIn } from "./flac/limits.js";

/** On-disk names, exactly as Python flacarray writes them (its `hdf5_names` / zarr names). */
export const NAMES = {
  formatVersion: "flacarray_format_version",
  softwareVersion: "flacarray_software_version",
  flacChannels: "flac_channels",
  compressed: "compressed",
  streamStarts: "stream_starts",
  streamSize: "stream_size",
  streamBytes: "stream_bytes",
  streamOffsets: "stream_offsets",
  streamGains: "stream_gains",
} as const;

/** The format version this package writes. */
export const FORMAT_VERSION = "1";

/** Written into `flacarray_software_version` (Python writes its own version there; readers ignore it). */
export const SOFTWARE_VERSION = "flacarray-js 0.1.0";

/** numpy names of the dtypes a stored dataset may have. */
export type StoredDtype = "uint8" | "int32" | "int64" | "uint64" | "float32" | "float64" | (string & {});

/** What the datasets and attributes of a stored group say, before any compressed byte is read. */
export interface StoredLayout {
  /** 0 (flacarray 0.1 – 0.2.4) or 1 (0.3.x). */
  formatVersion: 0 | 1;
  /** The dtype the group decodes to. */
  dtype: DataType;
  /** The leading shape as stored: `[1]` for a 1-D array. */
  leadingShape: number[];
  /** Samples per stream. */
  streamSize: number;
  /** Byte offset of each stream in `compressed`. */
  starts: Float64Array;
  /** Byte length of each stream. */
  bytes: Float64Array;
  /** Per-stream offsets: float for float data; int64 for format-0 int64 data; else null. */
  offsets: Float32Array | Float64Array | BigInt64Array | null;
  /** Per-stream gains of float data; else null. */
  gains: Float32Array | Float64Array | null;
}

/** FLAC channels per stream: format 0 is always mono; format 1 uses two for 64-bit dtypes. */
export function flacChannels(layout: Pick<StoredLayout, "formatVersion" | "dtype">): 1 | 2 {
  return layout.formatVersion === 0 ? 1 : channelsOf(layout.dtype);
}

/**
 * Parses the `flacarray_format_version` attribute: `"1"` or `1` (format 1), `0` (format 0).
 * @param where - the group, for the error message
 * @throws {FormatVersionError} for any other value
 */
export function parseFormatVersion(found: unknown, where: string): 0 | 1 {
  const text = typeof found === "bigint" ? found.toString() : typeof found === "number" || typeof found === "string" ? String(found) : null;
  if (text === "1") return 1;
  if (text === "0") return 0;
  throw new FormatVersionError(where, found);
}

/**
 * An integer attribute as Python reads it with `int()`: an integer (number or bigint, as h5py's
 * integer types arrive) or a string of decimal digits. Booleans, fractions, empty or hex strings
 * and arrays are not integers.
 * @returns the value, or null when the attribute is absent
 * @throws {InvalidFormatError} naming `where`, the attribute and the value found
 */
export function integerAttribute(value: unknown, name: string, where: string): number | null {
  if (value === undefined || value === null) return null;
  let n = Number.NaN;
  if (typeof value === "bigint") n = Number(value);
  else if (typeof value === "number") n = value;
  else if (typeof value === "string" && /^\s*[+-]?\d+\s*$/.test(value)) n = Number(value);
  if (!Number.isSafeInteger(n)) throw new InvalidFormatError(where, `${name} is ${describeValue(value)}, expected an integer`);
  return n;
}

/** The dtypes found in a stored group, as numpy names. */
export interface StoredDtypes {
  /** `flac_channels` (format 1 only). */
  channels: number | null;
  streamStarts: StoredDtype;
  streamBytes: StoredDtype;
  /** null when the dataset is absent. */
  streamOffsets: StoredDtype | null;
  /** null when the dataset is absent. */
  streamGains: StoredDtype | null;
}

/**
 * The dtype a stored group decodes to, from its version, `flac_channels` and the dtypes of its
 * datasets, with the checks Python's readers make (int64 stream tables; float32 offsets for one
 * channel, float64 for two).
 * @throws {InvalidFormatError} naming `where` and what was found
 */
export function decodedDtype(version: 0 | 1, found: StoredDtypes, where: string): DataType {
  const fail = (reason: string): never => {
    throw new InvalidFormatError(where, reason);
  };
  for (const [name, dtype] of [
    [NAMES.streamStarts, found.streamStarts],
    [NAMES.streamBytes, found.streamBytes],
  ] as const) {
    if (dtype !== "int64") fail(`${name} has dtype ${dtype}, expected int64`);
  }
  const { streamOffsets: off, streamGains: gain } = found;
  if (version === 0) {
    if (off === null && gain === null) return "int32";
    if (off === "int64" && gain === null) return "int64";
    if ((off === "float32" || off === "float64") && gain === off) return off as "float32" | "float64";
    return fail(
      `format 0 ${NAMES.streamOffsets}/${NAMES.streamGains} have dtypes ${off}/${gain}: expected none, int64/none or matching floats`,
    );
  }
  const channels = found.channels;
  if (channels !== 1 && channels !== 2) return fail(`${NAMES.flacChannels} is ${channels}, expected "1" or "2"`);
  if (off === null && gain === null) return channels === 1 ? "int32" : "int64";
  const float = channels === 1 ? "float32" : "float64";
  if (off !== float || gain !== float) {
    return fail(
      `${NAMES.streamOffsets}/${NAMES.streamGains} have dtypes ${off}/${gain}, expected ${float} for ${channels} FLAC channel(s)`,
    );
  }
  return float;
}

/**
 * Checks that a layout is consistent with itself and with `compressedLength` bytes of
 * compressed data: table sizes, offset and gain types, and every stream inside the data.
 * @throws {InvalidFormatError} naming `where`, the stream and the numbers that disagree
 */
export function checkLayout(layout: StoredLayout, compressedLength: number, where: string): void {
  const { leadingShape, streamSize, starts, bytes, offsets, gains, dtype } = layout;
  const fail = (reason: string): never => {
    throw new InvalidFormatError(where, reason);
  };
  if (leadingShape.length === 0 || leadingShape.some((d) => !Number.isInteger(d) || d < 0)) {
    fail(`invalid leading shape (${leadingShape.join(", ")})`);
  }
  if (!Number.isInteger(streamSize) || streamSize < 0) fail(`${NAMES.streamSize} is ${streamSize}, expected a count of samples`);
  const n = sizeOf(leadingShape);
  if (starts.length !== n || bytes.length !== n) {
    fail(`${NAMES.streamStarts} has ${starts.length} and ${NAMES.streamBytes} ${bytes.length} entries, expected ${n} (the leading shape)`);
  }
  for (let s = 0; s < n; s++) {
    const a = starts[s];
    const b = bytes[s];
    if (!(Number.isSafeInteger(a) && Number.isSafeInteger(b) && a >= 0 && b >= 0 && a + b <= compressedLength)) {
      fail(`stream ${s}: bytes [${a}, ${a + b}) lie outside the ${compressedLength} bytes of ${NAMES.compressed}`);
    }
    if (b < MIN_STREAM_BYTES) fail(`stream ${s} is ${b} bytes, shorter than a FLAC header (${MIN_STREAM_BYTES})`);
    if (streamSize > maxSamplesIn(b - MIN_STREAM_BYTES)) {
      fail(`${NAMES.streamSize} is ${streamSize}, more samples than the ${b} bytes of stream ${s} can hold`);
    }
  }
  const order = Array.from(starts.keys()).sort((i, j) => starts[i] - starts[j]);
  for (let k = 1; k < n; k++) {
    const [p, s] = [order[k - 1], order[k]];
    if (starts[s] < starts[p] + bytes[p]) {
      fail(`streams ${p} and ${s} overlap: bytes [${starts[p]}, ${starts[p] + bytes[p]}) and [${starts[s]}, ${starts[s] + bytes[s]})`);
    }
  }
  const expectTable = (name: string, table: unknown, type: { name: string }): void => {
    const ok = table !== null && (table as object).constructor === type && (table as ArrayLike<unknown>).length === n;
    if (!ok) fail(`${name}: expected ${n} values in a ${type.name} for ${dtype} data`);
  };
  const float = dtype === "float32" ? Float32Array : Float64Array;
  if (dtype === "float32" || dtype === "float64") {
    expectTable(NAMES.streamOffsets, offsets, float);
    expectTable(NAMES.streamGains, gains, float);
  } else if (dtype === "int64" && layout.formatVersion === 0) {
    expectTable(NAMES.streamOffsets, offsets, BigInt64Array);
  } else if (offsets !== null || gains !== null) {
    fail(`${dtype} data has no stream offsets or gains`);
  }
}

/** A stored table (`stream_starts`, `stream_bytes`, `stream_offsets`, `stream_gains`) as a reader found it. */
export interface FoundTable {
  dtype: StoredDtype;
  shape: readonly number[];
  /** The values; called only once the dtypes have been checked. */
  values: () => ArrayLike<number | bigint>;
}

/** What a reader found in a stored group, in the container's own terms turned into numpy's. */
export interface FoundGroup {
  version: 0 | 1;
  /** The `flac_channels` attribute as found (format 1; undefined when absent). */
  channels: unknown;
  compressed: { dtype: StoredDtype; shape: readonly number[] };
  /** The `stream_size` attribute of `stream_starts` as found (undefined when absent). */
  streamSize: unknown;
  starts: FoundTable;
  bytes: FoundTable;
  offsets: FoundTable | null;
  gains: FoundTable | null;
}

/**
 * The layout of a stored group from what a reader found, after every check Python's readers make
 * and more: dtypes, the shape of `compressed`, `stream_size`, table shapes, stream bounds.
 * @param where - the file or store and the group, for messages
 * @throws {InvalidFormatError} for wrong dtypes or shapes, or tables that disagree with the data
 * @throws {NotFoundError} when `stream_size` is missing
 */
export function assembleLayout(found: FoundGroup, where: string): StoredLayout {
  const { version, starts, bytes, offsets, gains, compressed } = found;
  const channels = version === 1 ? integerAttribute(found.channels, NAMES.flacChannels, where) : null;
  const streamSize = integerAttribute(found.streamSize, NAMES.streamSize, `${where}/${NAMES.streamStarts}`);
  const dtype = decodedDtype(
    version,
    {
      channels,
      streamStarts: starts.dtype,
      streamBytes: bytes.dtype,
      streamOffsets: offsets?.dtype ?? null,
      streamGains: gains?.dtype ?? null,
    },
    where,
  );
  if (streamSize === null) throw new NotFoundError(`${where}/${NAMES.streamStarts}`, `has no ${NAMES.streamSize} attribute`);
  checkTableShapes(found, where);
  const layout: StoredLayout = {
    formatVersion: version,
    dtype,
    leadingShape: [...starts.shape],
    streamSize,
    starts: Float64Array.from(starts.values(), Number),
    bytes: Float64Array.from(bytes.values(), Number),
    offsets: (offsets?.values() as StoredLayout["offsets"]) ?? null,
    gains: (gains?.values() as StoredLayout["gains"]) ?? null,
  };
  checkLayout(layout, compressed.shape[0], where);
  return layout;
}

/**
 * Checks the shapes of `compressed` and the stream tables before any table value is read: one
 * 1-D uint8 `compressed`, tables of one shape, and no more streams than `compressed` has room for
 * (every stream takes at least a FLAC header). A table whose shape says a billion entries is
 * refused here, not after reading it.
 * @throws {InvalidFormatError} naming the array and the shapes found
 */
export function checkTableShapes(
  found: Pick<FoundGroup, "compressed"> & Record<"starts" | "bytes" | "offsets" | "gains", { shape: readonly number[] } | null>,
  where: string,
): void {
  const { compressed, starts } = found;
  if (compressed.dtype !== "uint8" || compressed.shape.length !== 1) {
    throw new InvalidFormatError(
      `${where}/${NAMES.compressed}`,
      `is ${compressed.dtype} of shape (${compressed.shape}), expected 1-D uint8`,
    );
  }
  const leadingShape = starts?.shape ?? [];
  for (const [name, table] of [
    [NAMES.streamBytes, found.bytes],
    [NAMES.streamOffsets, found.offsets],
    [NAMES.streamGains, found.gains],
  ] as const) {
    if (table && table.shape.join() !== leadingShape.join()) {
      throw new InvalidFormatError(`${where}/${name}`, `has shape (${table.shape}), expected (${leadingShape}) like ${NAMES.streamStarts}`);
    }
  }
  const n = sizeOf(leadingShape);
  if (leadingShape.length === 0 || !Number.isSafeInteger(n) || n * MIN_STREAM_BYTES > compressed.shape[0]) {
    throw new InvalidFormatError(
      `${where}/${NAMES.streamStarts}`,
      `has shape (${leadingShape}): ${n} streams cannot fit in the ${compressed.shape[0]} bytes of ${NAMES.compressed}`,
    );
  }
}
