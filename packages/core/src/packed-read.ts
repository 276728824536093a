/**
 * Reading stored streams into a FlacArray without decoding them (Python's `read_hdf5` /
 * `read_zarr`): the selected streams are fetched range by range and packed one after another.
 */
import type { DataType } from "./dtypes.js";
import { FormatVersionError } from "./errors.js";
import { FlacArray } from "./flac-array.js";
import type { StoredLayout } from "./layout.js";
import { planRead, type ReadPlan } from "./read-plan.js";
import type { KeepMask } from "./selection.js";

/** A planned packed read: fetch each range of `plan.ranges` into `packed` at `rangeOffsets[i]`, then call {@link packedFlacArray}. */
export interface PackedRead<D extends DataType = DataType> {
  plan: ReadPlan<D>;
  /** Where each range goes in `packed`. */
  rangeOffsets: number[];
  /** Receives the selected streams, one after another. */
  packed: Uint8Array;
}

/**
 * Plans a packed read of the streams a keep mask selects (all without one).
 * @param where - the group, for the error message
 * @throws {FormatVersionError} for format-0 int64 and float64 groups, whose mono int32 streams a FlacArray cannot hold
 * @throws {InvalidSelectionError} for a keep mask of the wrong shape
 */
export function planPackedRead<D extends DataType>(
  layout: StoredLayout,
  keep: KeepMask | null | undefined,
  where: string,
  maxRangeBytes: number,
): PackedRead<D> {
  if (layout.formatVersion === 0 && (layout.dtype === "int64" || layout.dtype === "float64")) {
    throw new FormatVersionError(
      where,
      0,
      `format 0 ${layout.dtype} groups store mono int32 streams, which a FlacArray cannot hold; use readArray`,
    );
  }
  const plan = planRead<D>(layout, { keep }, maxRangeBytes);
  const rangeOffsets: number[] = [];
  let total = 0;
  for (const range of plan.ranges) {
    rangeOffsets.push(total);
    total += range.end - range.start;
  }
  return { plan, rangeOffsets, packed: new Uint8Array(total) };
}

/** The FlacArray of a packed read whose ranges have all been fetched. */
export function packedFlacArray<D extends DataType>({ plan, rangeOffsets, packed }: PackedRead<D>): FlacArray<D> {
  const { layout, streams } = plan;
  const starts = new Float64Array(streams.length);
  plan.ranges.forEach((range, i) => {
    for (let k = range.from; k < range.to; k++) starts[k] = rangeOffsets[i] + layout.starts[streams[k]] - range.start;
  });
  const pick = (table: StoredLayout["offsets"]) => {
    if (table === null) return null;
    const picked = table instanceof Float32Array ? new Float32Array(streams.length) : new Float64Array(streams.length);
    streams.forEach((s, k) => {
      picked[k] = Number(table[s]);
    });
    return picked;
  };
  return new FlacArray<D>({
    dtype: plan.dtype,
    shape: [...plan.shape.slice(0, -1), layout.streamSize],
    compressed: packed,
    streamStarts: starts,
    streamBytes: streams.map((s) => layout.bytes[s]),
    streamOffsets: pick(layout.offsets),
    streamGains: pick(layout.gains),
  });
}
