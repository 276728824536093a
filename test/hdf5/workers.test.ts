// HDF5 reads and writes with the decoding or compression on workers: the same values and bytes.
import { join } from "node:path";
import { closeWorkers, type NdArray } from "@flacarray/core";
import { createFile, openFile, openGroup, readArray, readArrayAsync, readFlacArray, writeArrayAsync } from "@flacarray/hdf5/node";
import { afterAll, describe, expect, test } from "vitest";
import { expectSameArray } from "../helpers/arrays.js";
import { FLACARRAY_FIXTURES, fixtureNpy, MANIFEST } from "../helpers/fixtures.js";
import { randomArrays } from "../helpers/random-arrays.js";
import { tempDir } from "../helpers/temp.js";

afterAll(() => closeWorkers());
const dir = tempDir("flacarray-h5-workers-");
const QUANTA: Record<string, number | undefined> = { float32: 1e-3, float64: 1e-7 };

describe("HDF5 with workers", () => {
  test("writeArrayAsync compresses to what readArray reads back as writeArray's values", async () => {
    const arrays = Object.entries(randomArrays(41)) as [string, NdArray][];
    const path = join(dir, "async.h5");
    await createFile(path, async (file) => {
      for (const [dtype, arr] of arrays) await writeArrayAsync(arr, file.create_group(dtype), { quanta: QUANTA[dtype], workers: 2 });
    });
    const file = await openFile(path);
    try {
      for (const [dtype, arr] of arrays) {
        const group = openGroup(file, dtype);
        const read = await readArrayAsync(group, { workers: 2 });
        expectSameArray(read.data, readArray(group).data, dtype);
        if (!dtype.startsWith("float")) expectSameArray(read.data, arr.data, `${dtype} lossless`);
        expect(readFlacArray(group).nbytes).toBeGreaterThan(0);
      }
    } finally {
      file.close();
    }
  });

  test.each(MANIFEST.fixtures.filter((f) => f.container === "hdf5" && f.partial_reads.length > 0).slice(0, 12))(
    "$id: readArrayAsync equals Python's arrays, whole and in a window",
    async (f) => {
      const file = await openFile(join(FLACARRAY_FIXTURES, f.file));
      try {
        const group = openGroup(file, f.group);
        expectSameArray((await readArrayAsync(group, { workers: 2 })).data, fixtureNpy(f.expected, f.input_cast).data);
        const p = f.partial_reads[0];
        if (p) {
          const part = await readArrayAsync(group, { workers: 2, keep: p.keep as boolean[] | null, streamSlice: p.stream_slice });
          expect(part.shape).toStrictEqual(p.expected_shape);
          expectSameArray(part.data, fixtureNpy(p.expected, f.input_cast).data);
        }
      } finally {
        file.close();
      }
    },
  );
});
