/**
 * The 26 SpikeInterface-layout Zarr stores read through zarrita's own `open` and `get`
 * after registerNumcodecs(): whole arrays and every partial read of the MANIFEST, bit for
 * bit, including the Delta filter, channel-chunked stores, edge chunks and two segments.
 */

import { join } from "node:path";
import { readStreamInfo } from "@flacarray/core";
import { registerNumcodecs } from "@flacarray/numcodecs";
import FileSystemStore from "@zarrita/storage/fs";
import { describe, expect, test } from "vitest";
import * as zarr from "zarrita";
import { flacCliDecode, HAVE_FLAC } from "../helpers/flac-cli.js";
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

describe("zarrita writes FLAC chunks after registerNumcodecs()", () => {
  test("an int16 array written with the flac codec reads back, and its chunks are FLAC streams libFLAC decodes", async () => {
    const store = new Map<string, Uint8Array>();
    const location = zarr.root(store).resolve("traces");
    const array = await zarr.create(location, {
      shape: [5000, 4],
      chunkShape: [3000, 2],
      dtype: "int16",
      codecs: [
        { name: "bytes", configuration: { endian: "little" } },
        { name: "flac", configuration: { level: 5, sample_rate: 48000 } },
      ],
    });
    const values = Int16Array.from({ length: 20000 }, (_, i) => Math.round(3000 * Math.sin(i / 37)) + (i % 7) - 3);
    await zarr.set(array, null, { data: values, shape: [5000, 4], stride: [4, 1] });
    const back = await zarr.get(await zarr.open.v3(location, { kind: "array" }));
    expect(firstDifference(back.data as Int16Array, values)).toBe(-1);
    const chunk = store.get("/traces/c/1/1") as Uint8Array;
    expect(readStreamInfo(chunk)).toMatchObject({ channels: 2, bitsPerSample: 16, totalSamples: 3000, sampleRate: 48000 });
    if (HAVE_FLAC) {
      const expected = pickColumns(values, 4, [2, 3]).slice(3000 * 2);
      const padded = [...expected, ...new Array(3000 * 2 - expected.length).fill(0)];
      expect(Array.from(flacCliDecode(chunk))).toStrictEqual(padded);
    }
  });
});
