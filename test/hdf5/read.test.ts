import fs from "node:fs";
import { type DataType, isFlacArrayError } from "@flacarray/core";
import { openStoredGroup, readArray, readBytes, readFlacArray } from "@flacarray/hdf5";
import type { Dataset, File } from "h5wasm";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { expectSameArray } from "../helpers/arrays.js";
import { type FixtureEntry, fixtureNpy, MANIFEST } from "../helpers/fixtures.js";
import { groupAt, openFixture } from "../helpers/hdf5.js";

const FIXTURES = MANIFEST.fixtures.filter((f) => f.container === "hdf5");
const files = new Map<string, File>();

beforeAll(async () => {
  for (const f of FIXTURES) if (!files.has(f.file)) files.set(f.file, await openFixture(f.file));
});
afterAll(() => {
  for (const file of files.values()) file.close();
});

const groupOf = (f: FixtureEntry) => groupAt(files.get(f.file) as File, f.group);
const cases = FIXTURES.map((f) => [f.id, f] as const);

describe("reads in h5wasm's heap, without a copy out", () => {
  test("readFlacArray with a keep mask and small transfers gives each kept stream's bytes as readBytes reads them", () => {
    const f = FIXTURES.find((x) => x.id === "v1_npx_385x30000_l5") as FixtureEntry;
    const group = groupOf(f);
    const { layout } = openStoredGroup(group);
    const compressed = group.get("compressed") as Dataset;
    const keep = Array.from({ length: 385 }, (_, c) => c % 4 === 0 || (c > 200 && c < 230));
    const kept = keep.flatMap((k, c) => (k ? [c] : []));
    for (const maxTransferBytes of [undefined, 100_000]) {
      const fa = readFlacArray(group, { keep, maxTransferBytes });
      kept.forEach((c, i) => {
        const start = Number(fa.streamStarts[i]);
        const ours = fa.compressed.subarray(start, start + Number(fa.streamBytes[i]));
        const expected = readBytes(compressed, layout.starts[c] as number, (layout.starts[c] as number) + (layout.bytes[c] as number));
        expect(Buffer.from(ours).equals(Buffer.from(expected)), `stream ${c}, maxTransferBytes ${maxTransferBytes}`).toBe(true);
      });
    }
  });
});

describe("every Python-written HDF5 fixture (format 1 by 0.3.4, format 0 by 0.2.4)", () => {
  test("covers both format versions and every dtype", () => {
    expect(new Set(FIXTURES.map((f) => f.format_version))).toStrictEqual(new Set(["1", 0]));
    expect(new Set(FIXTURES.map((f) => f.dtype)).size).toBe(4);
    expect(FIXTURES.length).toBe(47);
  });

  test.each(cases)("%s: a full read equals Python's", (_id, f) => {
    const out = readArray(groupOf(f));
    expect(out.shape).toStrictEqual(f.expected_shape);
    expectSameArray(out.data, fixtureNpy(f.expected, f.input_cast).data);
  });

  test.each(cases)("%s: every partial read equals its expected data", (_id, f) => {
    for (const p of f.partial_reads) {
      const out = readArray(groupOf(f), { keep: p.keep as boolean[] | null, streamSlice: p.stream_slice });
      expect(out.shape, JSON.stringify(p)).toStrictEqual(p.expected_shape);
      expectSameArray(out.data, fixtureNpy(p.expected, f.input_cast).data, JSON.stringify([p.keep, p.stream_slice]));
    }
  });

  test.each(cases.filter(([, f]) => f.format_version === "1" || f.dtype === "int32" || f.dtype === "float32"))(
    "%s: readFlacArray holds the same streams and decodes to the same data",
    (_id, f) => {
      const fa = readFlacArray(groupOf(f));
      const { layout } = openStoredGroup(groupOf(f));
      expect(fa.nbytes).toBe(layout.bytes.reduce((a, b) => a + b, 0));
      expect(fa.dtype).toBe(f.dtype);
      const out = fa.toArray();
      expectSameArray(out.data, fixtureNpy(f.expected, f.input_cast).data);
      const withKeep = f.partial_reads.find((p) => p.keep !== null && p.stream_slice === null);
      if (withKeep) {
        const kept = readFlacArray(groupOf(f), { keep: withKeep.keep as boolean[] });
        expectSameArray(kept.toArray().data, fixtureNpy(withKeep.expected, f.input_cast).data);
        const keptBytes = (withKeep.keep as unknown[]).flat(3).reduce<number>((sum, k, s) => sum + (k ? layout.bytes[s] : 0), 0);
        expect(kept.nbytes).toBe(keptBytes);
      }
    },
  );

  test("format-0 int64 and float64 groups read with readArray but not as a FlacArray", () => {
    for (const f of FIXTURES.filter((x) => x.format_version === 0 && (x.dtype === "int64" || x.dtype === "float64"))) {
      expect(() => readFlacArray(groupOf(f))).toThrow(/format 0 .* use readArray/);
      expect(readArray(groupOf(f)).data.constructor.name).toBe(f.dtype === "int64" ? "BigInt64Array" : "Float64Array");
    }
  });

  test("the stored layout is what the manifest records", () => {
    for (const f of FIXTURES.filter((x) => x.stored)) {
      const { layout } = openStoredGroup(groupOf(f));
      expect(layout.dtype).toBe(f.dtype as DataType);
      expect(layout.streamSize).toBe(f.stored.stream_size);
      expect(layout.starts.length).toBe(f.stored.n_streams);
      expect(layout.formatVersion).toBe(f.format_version === "1" ? 1 : 0);
    }
  });
});

describe("partial reads touch only the bytes of the selected streams", () => {
  /** Bytes h5wasm's Node build reads from disk (it calls fs.readSync) while `run` runs. */
  function bytesRead(run: () => void): number {
    let total = 0;
    const real = fs.readSync;
    const spy = vi.spyOn(fs, "readSync").mockImplementation((...args: Parameters<typeof fs.readSync>) => {
      const n = (real as (...a: unknown[]) => number)(...args);
      total += n;
      return n;
    });
    try {
      run();
    } finally {
      spy.mockRestore();
    }
    return total;
  }

  test("one channel of the 385 x 30000 Neuropixels file reads about 1/385 of it", async () => {
    const f = FIXTURES.find((x) => x.id === "v1_npx_385x30000_l5") as FixtureEntry;
    const file = await openFixture(f.file); // a fresh handle: nothing cached
    try {
      const group = groupAt(file, f.group);
      const stored = openStoredGroup(group); // stream tables: a few KB
      const keep = Array.from({ length: 385 }, (_, i) => i === 200);
      let out: ReturnType<typeof readArray> | undefined;
      const n = bytesRead(() => {
        out = readArray(group, { keep, streamSlice: [0, 30000] });
      });
      const stream = stored.layout.bytes[200];
      expect(out?.shape).toStrictEqual([30000]);
      expect(n).toBeGreaterThanOrEqual(stream);
      // The stream itself plus metadata (HDF5 re-reads object headers for each call), far from the 6 MB of the file.
      expect(n).toBeLessThan(stream + 64 * 1024);
      expect(n).toBeLessThan(f.stored.compressed_nbytes / 50);
      const all = bytesRead(() => readArray(group));
      expect(all).toBeGreaterThanOrEqual(f.stored.compressed_nbytes);
    } finally {
      file.close();
    }
  });
});

describe("errors name the group", () => {
  test("a group without a flacarray", () => {
    const f = FIXTURES.find((x) => x.id === "v1_multi_abc_i64") as FixtureEntry;
    const file = files.get(f.file) as File;
    const err = (() => {
      try {
        readArray(groupAt(file, "/a/b"));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(isFlacArrayError(err, "NotFoundError")).toBe(true);
    expect(String(err)).toMatch(/\/a\/b: holds no flacarray/);
  });
});
