/**
 * The 26 SpikeInterface-layout Zarr stores read through zarrita's own `open` and `get`
 * after registerNumcodecs(): whole arrays and every partial read of the MANIFEST, bit for
 * bit, including the Delta filter, channel-chunked stores, edge chunks and two segments.
 */

import { join } from "node:path";
import { registerNumcodecs } from "@flacarray/numcodecs";
import FileSystemStore from "@zarrita/storage/fs";
import { describe, expect, test } from "vitest";
import * as zarr from "zarrita";
import { firstDifference, NUMCODECS_FIXTURES, NUMCODECS_MANIFEST, numcodecsNpy, pickColumns } from "../helpers/numcodecs-fixtures.js";

registerNumcodecs();

const arrays = NUMCODECS_MANIFEST.stores.flatMap((store) =>
  store.arrays.map((array) => [`${store.id}/${array.path}`, store, array] as const),
);

describe("zarrita reads every store after registerNumcodecs()", () => {
  test("26 stores: WavPack and FLAC, a Delta filter, channel chunks, two segments", () => {
    const stores = NUMCODECS_MANIFEST.stores;
    expect(stores).toHaveLength(26);
    expect(new Set(stores.map((s) => s.codec))).toStrictEqual(new Set(["wavpack", "flac"]));
    expect(stores.some((s) => s.arrays.some((a) => a.filters !== null))).toBe(true);
    expect(stores.some((s) => s.channel_chunk_size !== null)).toBe(true);
    expect(stores.some((s) => s.arrays.length === 2)).toBe(true);
  });

  test.each(arrays)("%s: whole array and partial reads", async (_id, store, array) => {
    const root = zarr.root(new FileSystemStore(join(NUMCODECS_FIXTURES, store.store)));
    const traces = await zarr.open.v2(root.resolve(array.path), { kind: "array" });
    const whole = await zarr.get(traces);
    expect(whole.shape).toStrictEqual(array.shape);
    expect(firstDifference(whole.data as ArrayLike<number>, numcodecsNpy(array.expected).data as ArrayLike<number>)).toBe(-1);
    expect(array.partial_reads.length).toBeGreaterThan(0);
    for (const read of array.partial_reads) {
      const channels = read.channel_indices ?? Array.from({ length: array.shape[1] }, (_, i) => i);
      const low = Math.min(...channels);
      const high = Math.max(...channels) + 1;
      const window = await zarr.get(traces, [zarr.slice(read.start_frame, read.end_frame), zarr.slice(low, high)]);
      const picked = pickColumns(
        window.data as ArrayLike<number>,
        high - low,
        channels.map((c) => c - low),
      );
      expect(firstDifference(picked, numcodecsNpy(read.expected).data as ArrayLike<number>)).toBe(-1);
    }
  });
});
