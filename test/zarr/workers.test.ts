// Zarr reads and writes with the decoding or compression on workers: the same stores and values.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { closeWorkers, type NdArray } from "@flacarray/core";
import { createStore, openZarr, readArray, writeArray } from "@flacarray/zarr/node";
import { afterAll, describe, expect, test } from "vitest";
import { expectSameArray } from "../helpers/arrays.js";
import { type FixtureEntry, FLACARRAY_FIXTURES, fixtureNpy, MANIFEST } from "../helpers/fixtures.js";
import { serveDirectory } from "../helpers/http-server.js";
import { randomArrays } from "../helpers/random-arrays.js";
import { tempDir } from "../helpers/temp.js";

afterAll(() => closeWorkers());
const dir = tempDir("flacarray-zarr-workers-");
const QUANTA: Record<string, number | undefined> = { float32: 1e-3, float64: 1e-7 };

describe("Zarr with workers", () => {
  test.each(Object.entries(randomArrays(31)) as [string, NdArray][])(
    "%s: writeArray with 2 workers writes the same files",
    async (dtype, arr) => {
      const options = { level: 5, quanta: QUANTA[dtype] };
      await createStore(join(dir, `${dtype}-1.zarr`), (root) => writeArray(arr, root, options));
      await createStore(join(dir, `${dtype}-2.zarr`), (root) => writeArray(arr, root, { ...options, workers: 2 }));
      const files = (d: string) =>
        readdirSync(d, { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => join(e.parentPath, e.name).slice(d.length))
          .sort();
      const a = join(dir, `${dtype}-1.zarr`);
      const b = join(dir, `${dtype}-2.zarr`);
      expect(files(b)).toStrictEqual(files(a));
      expect(files(a).length).toBeGreaterThan(4);
      for (const f of files(a)) expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f))), f).toBe(true);
      const stored = await readArray(openZarr(a), { workers: 2 });
      expectSameArray(stored.data, (await readArray(openZarr(a))).data);
    },
  );

  test("Python's stores read with 2 workers, from disk and over HTTP, equal Python's arrays", async () => {
    const fixtures = MANIFEST.fixtures.filter((f) => f.container === "zarr");
    const server = await serveDirectory(FLACARRAY_FIXTURES);
    try {
      for (const f of fixtures as FixtureEntry[]) {
        const group = f.group === "/" ? "" : f.group;
        const expected = fixtureNpy(f.expected, f.input_cast).data;
        expectSameArray(
          (await readArray(openZarr(join(FLACARRAY_FIXTURES, f.file)).resolve(group.slice(1) || "/"), { workers: 2 })).data,
          expected,
          f.id,
        );
        const p = f.partial_reads[0];
        if (!p) continue;
        const part = await readArray(`${server.url}/${f.file}${group}`, {
          workers: 2,
          keep: p.keep as boolean[] | null,
          streamSlice: p.stream_slice,
        });
        expect(part.shape).toStrictEqual(p.expected_shape);
        expectSameArray(part.data, fixtureNpy(p.expected, f.input_cast).data, `${f.id} over HTTP`);
      }
    } finally {
      await server.close();
    }
  });
});
