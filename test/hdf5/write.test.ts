import { copyFileSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FlacArray, NAMES, type NdArray, SOFTWARE_VERSION } from "@flacarray/core";
import { createFile, openFile, readArray, readFlacArray, writeArray, writeFlacArray } from "@flacarray/hdf5/node";
import type { Dataset, Group } from "h5wasm";
import { afterAll, describe, expect, test } from "vitest";
import { mulberry32 } from "../../bench/neuropixels-like.js";
import { expectSameArray } from "../helpers/arrays.js";
import { type FixtureEntry, FLACARRAY_FIXTURES, fixtureNpy, MANIFEST } from "../helpers/fixtures.js";
import { groupAt, openFixture } from "../helpers/hdf5.js";
import { randomArrays } from "../helpers/random-arrays.js";

const dir = mkdtempSync(join(tmpdir(), "flacarray-hdf5-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileCount = 0;
const newPath = () => join(dir, `t${++fileCount}.h5`);

describe("writeArray / readArray round trips", () => {
  const arrays = randomArrays(7);
  test.each(Object.entries(arrays) as [string, NdArray][])(
    "%s: read back bit for bit (floats: as FlacArray.toArray decodes them)",
    async (dtype, arr) => {
      const path = newPath();
      const float = dtype.startsWith("float");
      const options = float ? { quanta: dtype === "float32" ? 1e-3 : 1e-9 } : {};
      await createFile(path, (file) => writeArray(arr, file.create_group("g"), { level: 5, ...options }));
      const file = await openFile(path);
      try {
        const group = file.get("g") as Group;
        const fa = FlacArray.fromArray(arr, options);
        const back = readArray(group);
        expect(back.shape).toStrictEqual(arr.shape);
        expectSameArray(back.data, float ? fa.toArray().data : arr.data);
        expect(readFlacArray(group).equals(fa)).toBe(true);
        const keep = arr.shape.length === 1 ? [true] : null;
        expect(readArray(group, { keep, streamSlice: [10, 20] }).shape).toStrictEqual(
          arr.shape.length === 1 ? [10] : [...arr.shape.slice(0, -1), 10],
        );
      } finally {
        file.close();
      }
    },
  );
});

/** Names, numpy dtypes, shapes and attribute types of a group's flacarray members. */
function structure(group: Group) {
  const attribute = (owner: { attrs: Record<string, { metadata: Record<string, unknown>; shape: number[] | null }> }, name: string) => {
    const a = owner.attrs[name];
    const { type, size, signed, vlen, cset } = a.metadata as Record<string, unknown>;
    return { name, type, vlen, cset, size: vlen ? undefined : size, signed: vlen ? undefined : signed, shape: a.shape };
  };
  const datasets = group
    .keys()
    .filter((k) => (Object.values(NAMES) as string[]).includes(k))
    .sort()
    .map((k) => {
      const d = group.get(k) as Dataset;
      const { type, size, signed, littleEndian } = d.metadata;
      return {
        name: k,
        type,
        size,
        signed,
        littleEndian,
        rank: d.shape?.length,
        attrs: Object.keys(d.attrs)
          .sort()
          .map((a) => attribute(d as never, a)),
      };
    });
  const attrs = [NAMES.formatVersion, NAMES.softwareVersion, NAMES.flacChannels].map((a) => attribute(group as never, a));
  return { datasets, attrs };
}

describe("files this package writes have Python's structure", () => {
  const pythonFixtures = ["v1_f32_2d_quanta", "v1_i64_2d_l5", "v1_i32_1d_l5", "v1_f64_1d_precision"];
  test.each(pythonFixtures)("%s: same names, dtypes, shapes and attribute types as the Python-written file", async (id) => {
    const f = MANIFEST.fixtures.find((x) => x.id === id) as FixtureEntry;
    const python = await openFixture(f.file);
    const path = newPath();
    const input = fixtureNpy(f.input);
    const options = f.quanta != null ? { quanta: f.quanta } : f.precision != null ? { precision: f.precision as number } : {};
    await createFile(path, (file) => writeArray(input as never, file, { level: f.level, ...options }));
    const ours = await openFile(path);
    try {
      const theirs = groupAt(python, f.group);
      expect(structure(ours)).toStrictEqual(structure(theirs));
      for (const name of [NAMES.streamStarts, NAMES.streamBytes, NAMES.streamOffsets, NAMES.streamGains]) {
        const d = theirs.keys().includes(name) ? (theirs.get(name) as Dataset) : null;
        expect((ours.keys().includes(name) ? (ours.get(name) as Dataset) : null)?.shape).toStrictEqual(d?.shape);
      }
      expect(ours.attrs[NAMES.formatVersion].value).toBe("1");
      expect(ours.attrs[NAMES.softwareVersion].value).toBe(SOFTWARE_VERSION);
      // Python's reader re-reads our file to its own expected data.
      expectSameArray(readArray(ours).data, fixtureNpy(f.expected).data);
    } finally {
      ours.close();
      python.close();
    }
  });
});

describe("mixed files", () => {
  test("a root flacarray with nested flacarray groups and other datasets, each untouched by the others", async () => {
    const path = newPath();
    const arrays = randomArrays(11);
    await createFile(path, (file) => {
      file.create_dataset({ name: "notes", data: Float64Array.of(1, 2, 3) });
      file.create_attribute("experiment", "mouse 12");
      writeArray(arrays.int32, file);
      // h5wasm creates nested groups one level at a time
      const b = file.create_group("a").create_group("b");
      writeArray(arrays.int64, b.create_group("c"));
      b.create_dataset({ name: "raw", data: Int32Array.of(5, 6) });
      writeArray(arrays.float64, file.create_group("x").create_group("y"), { precision: 3 });
    });
    const file = await openFile(path);
    try {
      expectSameArray(readArray(file).data, arrays.int32.data);
      expectSameArray(readArray(file.get("a/b/c") as Group).data, arrays.int64.data);
      expect(readArray(file.get("x/y") as Group).shape).toStrictEqual([2, 2500]);
      expect(Array.from((file.get("notes") as Dataset).value as Float64Array)).toStrictEqual([1, 2, 3]);
      expect(Array.from((file.get("a/b/raw") as Dataset).value as Int32Array)).toStrictEqual([5, 6]);
      expect(file.attrs.experiment.value).toBe("mouse 12");
      expect(file.keys().sort()).toStrictEqual(["a", "compressed", "notes", "stream_bytes", "stream_starts", "x"]);
    } finally {
      file.close();
    }
  });

  test("adding a flacarray to a copy of Python's multi-group file leaves its groups readable as before", async () => {
    const path = newPath();
    copyFileSync(join(FLACARRAY_FIXTURES, "hdf5/v1_multi.h5"), path);
    const arrays = randomArrays(12);
    const file = await openFile(path, "a");
    writeArray(arrays.int32, (file.get("x") as Group).create_group("new"));
    file.close();
    const again = await openFile(path);
    try {
      for (const f of MANIFEST.fixtures.filter((x) => x.file === "hdf5/v1_multi.h5")) {
        expectSameArray(readArray(groupAt(again, f.group)).data, fixtureNpy(f.expected).data, f.group);
      }
      expectSameArray(readArray(again.get("x/new") as Group).data, arrays.int32.data);
    } finally {
      again.close();
    }
  });
});

describe("large data goes through h5wasm in pieces", () => {
  test("compressed larger than one transfer is written chunked and read back in pieces", async () => {
    const path = newPath();
    const arr = randomArrays(13).int32;
    const fa = FlacArray.fromArray(arr);
    const maxTransferBytes = 1000; // far below the ~4 KB of each stream: every transfer is split or per stream
    await createFile(path, (file) => writeFlacArray(fa, file, { maxTransferBytes }));
    const file = await openFile(path);
    try {
      const compressed = file.get("compressed") as Dataset;
      expect(compressed.metadata.chunks).not.toBeNull(); // too large for one transfer: chunked
      expectSameArray(readArray(file, { maxTransferBytes }).data, arr.data);
      expect(readFlacArray(file, { maxTransferBytes }).equals(fa)).toBe(true);
    } finally {
      file.close();
    }
  });

  test("streams at byte offsets beyond 4 GiB (a sparse chunked dataset, only two chunks on disk)", async () => {
    const path = newPath();
    const rnd = mulberry32(5);
    const a = Int32Array.from({ length: 2 * 3000 }, () => Math.round((rnd() - 0.5) * 1e6));
    const fa = FlacArray.fromArray({ data: a, shape: [2, 3000] });
    const [b0, b1] = Array.from(fa.streamBytes, Number);
    const far = 4.5 * 2 ** 30 + 12345; // stream 1 lies past 2^32 bytes
    await createFile(path, (file) => {
      const c = file.create_dataset({
        name: "compressed",
        data: new Uint8Array(0),
        shape: [0],
        maxshape: [null],
        chunks: [1 << 20],
        dtype: "<B",
      });
      c.resize([far + b1]);
      c.write_slice([[0, b0]], fa.compressed.subarray(0, b0));
      c.write_slice([[far, far + b1]], fa.compressed.subarray(b0));
      const starts = file.create_dataset({ name: "stream_starts", data: BigInt64Array.of(0n, BigInt(far)), dtype: "<q" });
      starts.create_attribute("stream_size", BigInt64Array.of(3000n), [], "<q");
      file.create_dataset({ name: "stream_bytes", data: BigInt64Array.of(BigInt(b0), BigInt(b1)), dtype: "<q" });
      file.create_attribute("flac_channels", "1");
      file.create_attribute("flacarray_format_version", "1");
    });
    expect(statSync(path).size).toBeLessThan(4 << 20);
    const file = await openFile(path);
    try {
      expectSameArray(readArray(file, { keep: [false, true] }).data, a.subarray(3000));
      expectSameArray(readArray(file).data, a);
      const kept = readFlacArray(file, { keep: [false, true] });
      expect(kept.nbytes).toBe(b1);
    } finally {
      file.close();
    }
  });
});

describe("layouts other writers produce", () => {
  test("compressed stored chunked and gzip-compressed (h5py's compression='gzip'), read in full and in part", async () => {
    const path = newPath();
    const arr = randomArrays(21).int32;
    const fa = FlacArray.fromArray(arr);
    await createFile(path, (file) => {
      file.create_dataset({ name: "compressed", data: fa.compressed, chunks: [4096], compression: "gzip", compression_opts: 6 });
      const starts = file.create_dataset({ name: "stream_starts", data: fa.streamStarts });
      starts.create_attribute("stream_size", BigInt64Array.of(BigInt(fa.streamSize)), [], "<q");
      file.create_dataset({ name: "stream_bytes", data: fa.streamBytes });
      file.create_attribute("flac_channels", 1); // an integer: Python's reader takes int() of it
      file.create_attribute("flacarray_format_version", 1);
    });
    const file = await openFile(path);
    try {
      expect((file.get("compressed") as Dataset).filters.map((f) => f.id)).toContain(1); // deflate
      expectSameArray(readArray(file).data, arr.data);
      expectSameArray(readArray(file, { keep: [false, true, false], streamSlice: [100, 4000] }).data, arr.data.subarray(5100, 9000));
    } finally {
      file.close();
    }
  });
});
