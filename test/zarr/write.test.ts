import { cpSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { FlacArray, NAMES, type NdArray, SOFTWARE_VERSION } from "@flacarray/core";
import { createStore, DirectoryStore, openZarr, readArray, readFlacArray, writeArray, writeFlacArray } from "@flacarray/zarr/node";
import { describe, expect, test } from "vitest";
import * as zarr from "zarrita";
import { expectSameArray } from "../helpers/arrays.js";
import { type FixtureEntry, FLACARRAY_FIXTURES, fixtureNpy, MANIFEST } from "../helpers/fixtures.js";
import { randomArrays } from "../helpers/random-arrays.js";
import { tempDir } from "../helpers/temp.js";

const dir = tempDir("flacarray-zarr-");
let count = 0;
const newPath = () => join(dir, `s${++count}.zarr`);

describe("writeArray / readArray round trips (Zarr v2 directory stores)", () => {
  test.each(Object.entries(randomArrays(3)) as [string, NdArray][])("%s", async (dtype, arr) => {
    const path = newPath();
    const options = dtype.startsWith("float") ? { quanta: dtype === "float32" ? 1e-3 : 1e-9 } : {};
    await createStore(path, (root) => writeArray(arr, root.resolve("g"), { ...options, chunkBytes: 5000 }));
    const group = openZarr(path).resolve("g");
    const fa = FlacArray.fromArray(arr, options);
    expectSameArray((await readArray(group)).data, fa.toArray().data);
    expect((await readFlacArray(group)).equals(fa)).toBe(true);
    const keep = arr.shape.length === 1 ? [true] : null;
    const part = await readArray(group, { keep, streamSlice: [10, 20] });
    expect(part.shape).toStrictEqual(arr.shape.length === 1 ? [10] : [...arr.shape.slice(0, -1), 10]);
  });
});

const json = (path: string) => JSON.parse(readFileSync(path, "utf8"));

describe("stores this package writes have Python's layout", () => {
  test.each(["z_v1_f32_2d_quanta", "z_v1_i64_3d_l5", "z_v1_i32_1d_l5", "z_v1_f64_1d_precision"])("%s", async (id) => {
    const f = MANIFEST.fixtures.find((x) => x.id === id) as FixtureEntry;
    const python = join(FLACARRAY_FIXTURES, f.file);
    const path = newPath();
    const options = f.quanta != null ? { quanta: f.quanta } : f.precision != null ? { precision: f.precision as number } : {};
    await createStore(path, (root) => writeArray(fixtureNpy(f.input) as never, root, { level: f.level, ...options }));
    const ours = json(join(path, ".zattrs"));
    const theirs = json(join(python, ".zattrs"));
    expect(Object.keys(ours).sort()).toStrictEqual(Object.keys(theirs).sort());
    expect(ours[NAMES.formatVersion]).toBe(theirs[NAMES.formatVersion]);
    expect(ours[NAMES.flacChannels]).toBe(theirs[NAMES.flacChannels]);
    expect(ours[NAMES.softwareVersion]).toBe(SOFTWARE_VERSION);
    expect(json(join(path, ".zgroup"))).toStrictEqual(json(join(python, ".zgroup")));
    for (const name of [NAMES.compressed, NAMES.streamStarts, NAMES.streamBytes, NAMES.streamOffsets, NAMES.streamGains]) {
      let theirArray: Record<string, unknown>;
      try {
        theirArray = json(join(python, name, ".zarray"));
      } catch {
        expect(() => json(join(path, name, ".zarray"))).toThrow(); // absent in both
        continue;
      }
      const ourArray = json(join(path, name, ".zarray"));
      for (const key of ["zarr_format", "dtype", "fill_value", "order", "filters"])
        expect(ourArray[key], `${name} ${key}`).toStrictEqual(theirArray[key]);
      if (name === NAMES.compressed) {
        expect(ourArray.compressor).toBeNull(); // raw chunks, for range reads (Python: blosc-lz4)
      } else {
        expect(ourArray.shape).toStrictEqual(theirArray.shape);
      }
    }
    expect(json(join(path, NAMES.streamStarts, ".zattrs"))).toStrictEqual(json(join(python, NAMES.streamStarts, ".zattrs")));
    expectSameArray((await readArray(openZarr(path))).data, fixtureNpy(f.expected).data);
  });
});

describe("mixed stores", () => {
  test("a root flacarray, nested flacarrays, user attributes and other arrays stay as they were", async () => {
    const path = newPath();
    const arrays = randomArrays(4);
    await createStore(path, async (root) => {
      // a v2 group that already has a user attribute
      await root.store.set("/.zgroup", new TextEncoder().encode('{"zarr_format": 2}'));
      await root.store.set("/.zattrs", new TextEncoder().encode('{"experiment": "mouse 12"}'));
      await writeArray(arrays.int32, root);
      await writeArray(arrays.int64, root.resolve("a/b/c"));
      await writeArray(arrays.float64, root.resolve("x/y"), { precision: 3 });
    });
    const root = openZarr(path);
    expectSameArray((await readArray(root)).data, arrays.int32.data);
    expectSameArray((await readArray(root.resolve("a/b/c"))).data, arrays.int64.data);
    expect((await readArray(root.resolve("x/y"))).shape).toStrictEqual([2, 2500]);
    expect(json(join(path, ".zattrs")).experiment).toBe("mouse 12");
    expect(json(join(path, "a", ".zgroup"))).toStrictEqual({ zarr_format: 2 }); // intermediate groups exist
    await expect(writeArray(arrays.int32, root.resolve("a/b/c"))).rejects.toThrow(/already holds a flacarray/);
  });

  test("adding a group to a copy of Python's multi-group store leaves its groups readable", async () => {
    const path = newPath();
    cpSync(join(FLACARRAY_FIXTURES, "zarr/v1_multi.zarr"), path, { recursive: true });
    const data = Int32Array.from({ length: 2 * 100 }, (_, i) => i * i);
    await writeArray({ data, shape: [2, 100] }, openZarr(path).resolve("a/new"));
    for (const f of MANIFEST.fixtures.filter((x) => x.file === "zarr/v1_multi.zarr")) {
      expectSameArray((await readArray(openZarr(path).resolve(f.group))).data, fixtureNpy(f.expected).data, f.group);
    }
    expectSameArray((await readArray(openZarr(path).resolve("a/new"))).data, data);
  });
});

describe("Zarr v3 groups as zarr-python 3 writes them (zarr.json, bytes + zstd, c/ chunk keys)", () => {
  /** Writes a flacarray as a v3 group with zarrita, the codecs given (zarr-python 3 defaults: bytes + zstd level 0). */
  async function writeV3(path: string, fa: FlacArray, codecs: zarr.CodecMetadata[], chunk: number) {
    const root = zarr.root(new DirectoryStore(path));
    await zarr.create(root, {
      attributes: { flacarray_format_version: "1", flacarray_software_version: "0.4.0", flac_channels: fa.dtype === "int64" ? "2" : "1" },
    });
    const compressed = await zarr.create(root.resolve("compressed"), { shape: [fa.nbytes], chunkShape: [chunk], dtype: "uint8", codecs });
    await zarr.set(compressed, null, { data: fa.compressed, shape: [fa.nbytes], stride: [1] });
    const tables: [string, BigInt64Array, Record<string, unknown>][] = [
      ["stream_starts", fa.streamStarts, { stream_size: fa.streamSize }],
      ["stream_bytes", fa.streamBytes, {}],
    ];
    for (const [name, values, attributes] of tables) {
      const leading = fa.leadingShape;
      const array = await zarr.create(root.resolve(name), { shape: leading, chunkShape: leading, dtype: "int64", codecs, attributes });
      const stride = leading.map((_, i) => leading.slice(i + 1).reduce((a, b) => a * b, 1));
      await zarr.set(array, null, { data: values, shape: leading, stride });
    }
  }

  const zstd = [
    { name: "bytes", configuration: { endian: "little" } },
    { name: "zstd", configuration: { level: 0, checksum: false } },
  ];
  const arr = randomArrays(5).int64;
  const fa = FlacArray.fromArray(arr);

  test("bytes + zstd (compressed chunks): full and partial reads", async () => {
    const path = newPath();
    await writeV3(path, fa, zstd, 3000);
    expect(JSON.parse(readFileSync(join(path, "compressed", "zarr.json"), "utf8")).codecs[1].name).toBe("zstd");
    expect(readFileSync(join(path, "compressed", "c", "0")).length).toBeGreaterThan(0);
    expectSameArray((await readArray(openZarr(path))).data, arr.data);
    const part = await readArray(openZarr(path), {
      keep: [
        [false, true],
        [false, false],
      ],
      streamSlice: [5, 500],
    });
    expectSameArray(part.data, arr.data.subarray(3000 + 5, 3000 + 500));
  });

  test("bytes only (raw chunks): read with range reads of c/ keys", async () => {
    const path = newPath();
    await writeV3(path, fa, [{ name: "bytes", configuration: { endian: "little" } }], 4000);
    expectSameArray((await readArray(openZarr(path))).data, arr.data);
    expectSameArray(
      (
        await readArray(openZarr(path), {
          keep: [
            [false, false],
            [true, false],
          ],
        })
      ).data,
      arr.data.subarray(6000, 9000),
    );
  });

  test("writing v2 arrays into a v3 group is refused", async () => {
    const path = newPath();
    await zarr.create(zarr.root(new DirectoryStore(path)), { attributes: {} });
    await expect(writeFlacArray(fa, openZarr(path))).rejects.toThrow(/is a Zarr v3 group/);
  });
});

test("floats that cannot be quantized (infinite, or too large for the integers at their quanta) leave no store", async () => {
  for (const [name, data, quanta] of [
    ["inf", Float64Array.of(1, Number.NEGATIVE_INFINITY, 3), 0.1],
    ["overflow", Float32Array.of(1, 1e38, 3), 1e-3],
  ] as const) {
    const path = join(dir, `${name}.zarr`);
    await expect(createStore(path, (root) => writeArray({ data, shape: [3] }, root.resolve("g"), { quanta }))).rejects.toThrow(
      /QuantizationError|Cannot convert|more than int32 holds/,
    );
    expect(existsSync(path)).toBe(false);
  }
});

describe("DirectoryStore range reads", () => {
  test("readRangeInto reads into the given memory; a short file reads fewer bytes, a missing one gives undefined", async () => {
    const path = newPath();
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 0xff);
    const store = new DirectoryStore(path);
    await store.set("/f", bytes);
    const into = new Uint8Array(300).fill(0xee);
    expect(await store.readRangeInto("/f", 100, into.subarray(50, 250))).toBe(200);
    expect(into.subarray(50, 250)).toStrictEqual(bytes.subarray(100, 300));
    expect(into[49]).toBe(0xee);
    expect(into[250]).toBe(0xee);
    expect(await store.readRangeInto("/f", 900, into)).toBe(100);
    expect(await store.readRangeInto("/f", 5000, into)).toBe(0);
    expect(await store.readRangeInto("/missing", 0, into)).toBeUndefined();
  });

  test("reads straight into the result (DirectoryStore) and through getRange (a store without readRangeInto) agree", async () => {
    const path = newPath();
    const arr = randomArrays(11).int32;
    await createStore(path, (root) => writeArray(arr, root.resolve("g"), { chunkBytes: 777 }));
    const store = new DirectoryStore(path);
    const plain = { get: store.get.bind(store), getRange: store.getRange.bind(store) };
    const keep = Array.from({ length: arr.shape[0] as number }, (_, i) => i % 2 === 0);
    const direct = await readFlacArray(openZarr(path).resolve("g"), { keep });
    const viaGetRange = await readFlacArray(zarr.root(plain).resolve("g"), { keep });
    expect(direct.equals(viaGetRange)).toBe(true);
    expectSameArray((await readArray(openZarr(path).resolve("g"))).data, (await readArray(zarr.root(plain).resolve("g"))).data);
    expectSameArray(direct.toArray().data, (await readArray(openZarr(path).resolve("g"), { keep })).data);
  });
});
