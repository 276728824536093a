// Writing flacarray groups stream by stream (HDF5 and Zarr), as the CLI does for recordings
// larger than memory: the result must read back as the same array a one-shot write gives.
import { join } from "node:path";
import { FlacArray, InvalidArgumentError } from "@flacarray/core";
import * as hdf5 from "@flacarray/hdf5/node";
import * as zarr from "@flacarray/zarr/node";
import { describe, expect, test } from "vitest";
import { neuropixelsLike } from "../bench/neuropixels-like.js";
import { expectSameArray } from "./helpers/arrays.js";
import { caught, rejection } from "./helpers/errors.js";
import { tempDir } from "./helpers/temp.js";

const dir = tempDir("flacarray-append-");
const [chunks, channels, samples] = [5, 7, 3000];
const data = neuropixelsLike(chunks * channels, samples, 7);
/** The streams of time chunk k, compressed, as the CLI appends them. */
const batch = (k: number) =>
  FlacArray.fromArray({ data: data.subarray(k * channels * samples, (k + 1) * channels * samples), shape: [channels, samples] });

describe("appendFlacArray", () => {
  test("HDF5: batches appended read back as the whole array, and the layout equals a one-shot write", async () => {
    const path = join(dir, "append.h5");
    await hdf5.createFile(path, (file) => {
      const appender = hdf5.appendFlacArray(file, { streamSize: samples, dtype: "int32" });
      for (let k = 0; k < chunks; k++) {
        const fa = batch(k);
        appender.append(fa.compressed, Array.from(fa.streamBytes, Number));
      }
      expect(caught(() => appender.finish([chunks, channels + 1]))).toBeInstanceOf(InvalidArgumentError);
      appender.finish([chunks, channels]);
    });
    const file = await hdf5.openFile(path);
    const { data: read, shape } = hdf5.readArray(file);
    expect(shape).toEqual([chunks, channels, samples]);
    expectSameArray(read, data);
    file.close();
  });

  test("HDF5: past 4 MiB the dataset becomes chunked and grows; it reads back whole", async () => {
    const big = neuropixelsLike(3 * 385, 6000, 9).map((v, i) => v * 50 + (i % 7919)); // noisy: about 6 MB of FLAC
    const path = join(dir, "append-big.h5");
    await hdf5.createFile(path, (file) => {
      const appender = hdf5.appendFlacArray(file, { streamSize: 6000, dtype: "int32" });
      for (let k = 0; k < 3; k++) {
        const fa = FlacArray.fromArray({ data: big.subarray(k * 385 * 6000, (k + 1) * 385 * 6000), shape: [385, 6000] });
        appender.append(fa.compressed, Array.from(fa.streamBytes, Number));
      }
      appender.finish([3, 385]);
      expect((file.get("compressed") as { metadata: { chunks: number[] | null } }).metadata.chunks).toEqual([4 * 1024 * 1024]);
    });
    const file = await hdf5.openFile(path);
    expectSameArray(hdf5.readArray(file).data, big);
    file.close();
  });

  test("Zarr: batches appended over several chunk files read back as the whole array", async () => {
    const path = join(dir, "append.zarr");
    await zarr.createStore(path, async (root) => {
      const appender = await zarr.appendFlacArray(root, { streamSize: samples, dtype: "int32", chunkBytes: 10000 });
      for (let k = 0; k < chunks; k++) {
        const fa = batch(k);
        await appender.append(fa.compressed, Array.from(fa.streamBytes, Number));
      }
      expect(await rejection(appender.append(new Uint8Array(3), [2]))).toBeInstanceOf(InvalidArgumentError);
      await appender.finish([chunks, channels]);
    });
    const { data: read, shape } = await zarr.readArray(zarr.openZarr(path));
    expect(shape).toEqual([chunks, channels, samples]);
    expectSameArray(read, data);
  });
});
