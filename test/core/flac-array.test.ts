import { type DataType, FlacArray, type NdArray, type TypedArray } from "@flacarray/core";
import { describe, expect, test } from "vitest";
import { mulberry32, neuropixelsLike } from "../../bench/neuropixels-like.js";
import { expectSameArray } from "../helpers/arrays.js";
import { type FixtureEntry, fixtureNpy, MANIFEST } from "../helpers/fixtures.js";

/** The Python-format-"1" fixtures, one per distinct input (HDF5 and Zarr copies share inputs). */
const V1 = MANIFEST.fixtures.filter((f) => f.format_version === "1" && f.container === "hdf5");

function quantizeOptions(f: FixtureEntry) {
  if (f.quanta_array) return { quanta: f.quanta_array as number[] };
  if (f.quanta != null) return { quanta: f.quanta };
  if (f.precision != null) return { precision: f.precision as number };
  return {};
}

function inputOf(f: FixtureEntry): NdArray {
  const a = fixtureNpy(f.input, f.input_cast);
  return { data: a.data as TypedArray<DataType>, shape: a.shape };
}

describe("FlacArray against Python flacarray 0.3.4", () => {
  test.each(V1.map((f) => [f.id, f] as const))("%s: same values, shape and (for floats) offsets and gains as Python", (_id, f) => {
    const fa = FlacArray.fromArray(inputOf(f), { level: f.level, ...quantizeOptions(f) });
    const expected = fixtureNpy(f.expected, f.input_cast);
    const out = fa.toArray();
    expect(out.shape).toStrictEqual(f.expected_shape);
    expectSameArray(out.data, expected.data);
    expect(fa.nstreams).toBe(f.stored.n_streams);
    expect(fa.streamSize).toBe(f.stored.stream_size);
    if (f.stored.offsets) expect(Array.from(fa.streamOffsets ?? [])).toStrictEqual(f.stored.offsets);
    if (f.stored.gains) expect(Array.from(fa.streamGains ?? [])).toStrictEqual(f.stored.gains);
  });

  test.each(V1.filter((f) => f.decoded_int).map((f) => [f.id, f] as const))(
    "%s: float → integer conversion equals Python's decoded_int",
    (_id, f) => {
      const fa = FlacArray.fromArray(inputOf(f), { level: 0, ...quantizeOptions(f) });
      const ints = fixtureNpy(f.decoded_int as string);
      // our integers, decoded without the float conversion
      const asInt = new FlacArray({
        ...partsOf(fa),
        dtype: f.dtype === "float32" ? "int32" : "int64",
        streamOffsets: null,
        streamGains: null,
      });
      expectSameArray(asInt.toArray().data, ints.data);
    },
  );

  test.each(V1.map((f) => [f.id, f] as const))("%s: every partial read equals Python's expected data", (_id, f) => {
    const fa = FlacArray.fromArray(inputOf(f), { level: f.level, ...quantizeOptions(f) });
    for (const p of f.partial_reads) {
      // Python returns (1, n) from FlacArray.to_array for one kept stream, but (n,) from read_array; we follow read_array
      const out = fa.toArray({ keep: p.keep as boolean[] | null, streamSlice: p.stream_slice });
      expect(out.shape).toStrictEqual(p.expected_shape);
      expectSameArray(out.data, fixtureNpy(p.expected, f.input_cast).data, JSON.stringify(p.stream_slice));
    }
  });

  test("Neuropixels fixture: level 5 compresses at least as well as Python's libFLAC (within 1%)", () => {
    const f = V1.find((x) => x.id === "v1_npx_385x30000_l5") as FixtureEntry;
    const fa = FlacArray.fromArray(inputOf(f), { level: 5 });
    expect(fa.nbytes).toBeLessThan(f.stored.compressed_nbytes * 1.01);
  });
});

function partsOf(fa: FlacArray) {
  return {
    dtype: fa.dtype,
    shape: fa.shape,
    compressed: fa.compressed,
    streamStarts: fa.streamStarts,
    streamBytes: fa.streamBytes,
    streamOffsets: fa.streamOffsets,
    streamGains: fa.streamGains,
  };
}

describe("round trips over dtypes, shapes and levels", () => {
  const shapes = [[1], [7], [3, 1], [2, 3, 500], [4, 4097], [1, 3000]];
  const rand = mulberry32(99);
  const make = (dtype: DataType, n: number): TypedArray<DataType> => {
    if (dtype === "int32") return Int32Array.from({ length: n }, () => Math.round((rand() - 0.5) * 1e5));
    if (dtype === "int64") return BigInt64Array.from({ length: n }, () => BigInt(Math.round((rand() - 0.5) * 2 ** 50)));
    if (dtype === "float32") return Float32Array.from({ length: n }, (_, i) => Math.sin(i / 10) + rand() * 1e-3);
    return Float64Array.from({ length: n }, (_, i) => 1e6 * Math.cos(i / 7) + rand());
  };
  for (const dtype of ["int32", "int64", "float32", "float64"] as const) {
    test.each(shapes.map((s) => [JSON.stringify(s), s] as const))(`${dtype} %s`, (_name, shape) => {
      const n = shape.reduce((a, b) => a * b, 1);
      const data = make(dtype, n);
      for (const level of [0, 5, 8]) {
        const quanta = dtype === "float32" ? 1e-4 : 1e-3;
        const fa = FlacArray.fromArray({ data, shape }, dtype.startsWith("float") ? { level, quanta } : { level });
        const out = fa.toArray();
        const single = fa.nstreams === 1;
        expect(out.shape).toStrictEqual(single ? [shape[shape.length - 1]] : shape);
        if (dtype.startsWith("float")) {
          for (let i = 0; i < n; i++)
            expect(Math.abs(Number(out.data[i]) - Number(data[i]))).toBeLessThanOrEqual(quanta * 0.5001 + Math.abs(Number(data[i])) * 1e-6);
        } else expect(out.data).toStrictEqual(data);
      }
    });
  }

  test("constant, length-1 and extreme streams round trip", () => {
    const cases: NdArray[] = [
      { data: new Int32Array(5000).fill(42), shape: [2, 2500] },
      { data: Int32Array.from([7]), shape: [1] },
      { data: Int32Array.from([-2147483648, 2147483647, 0, -1]), shape: [4, 1] },
      { data: BigInt64Array.from([-(2n ** 63n), 2n ** 63n - 1n, 0n, -1n, 1n, 2n ** 32n]), shape: [2, 3] },
      { data: BigInt64Array.from({ length: 4000 }, (_, i) => (i % 2 ? 2n ** 63n - 1n : -(2n ** 63n))), shape: [4000] },
    ];
    for (const arr of cases) {
      for (const level of [0, 1, 5, 8]) {
        const out = FlacArray.fromArray(arr, { level }).toArray();
        expect(out.data).toStrictEqual(arr.data);
      }
    }
  });

  test("a bare typed array is one stream", () => {
    const x = neuropixelsLike(1, 3000, 2);
    const fa = FlacArray.fromArray(x);
    expect(fa.shape).toStrictEqual([3000]);
    expect(fa.leadingShape).toStrictEqual([1]);
    expect(fa.toArray().data).toStrictEqual(x);
  });
});

describe("selection semantics", () => {
  const shape = [2, 3, 1000];
  const data = neuropixelsLike(6, 1000, 3);
  const fa = FlacArray.fromArray({ data, shape });
  const row = (s: number, a = 0, b = 1000) => Array.from(data.subarray(s * 1000 + a, s * 1000 + b));

  test("keep masks: nested or flat, shapes as Python's read_array", () => {
    const nested = fa.toArray({
      keep: [
        [true, false, true],
        [false, false, true],
      ],
      keepIndices: true,
    });
    expect(nested.shape).toStrictEqual([3, 1000]);
    expect(nested.indices).toStrictEqual([
      [0, 0],
      [0, 2],
      [1, 2],
    ]);
    expect(Array.from(nested.data)).toStrictEqual([...row(0), ...row(2), ...row(5)]);
    const flat = fa.toArray({ keep: Uint8Array.from([0, 0, 0, 0, 1, 0]), streamSlice: [10, 20] });
    expect(flat.shape).toStrictEqual([10]);
    expect(Array.from(flat.data)).toStrictEqual(row(4, 10, 20));
    const none = fa.toArray({
      keep: [
        [false, false, false],
        [false, false, false],
      ],
    });
    expect(none.shape).toStrictEqual([0, 1000]);
    expect(none.data.length).toBe(0);
  });

  test("stream slices: open ends and negative bounds", () => {
    expect(fa.toArray({ streamSlice: [990, null] }).shape).toStrictEqual([2, 3, 10]);
    expect(Array.from(fa.toArray({ streamSlice: [null, 5], keep: [1, 0, 0, 0, 0, 0] }).data)).toStrictEqual(row(0, 0, 5));
    expect(Array.from(fa.toArray({ streamSlice: [-3, null], keep: [0, 1, 0, 0, 0, 0] }).data)).toStrictEqual(row(1, 997, 1000));
  });

  test("get follows numpy indexing", () => {
    expect(fa.get().shape).toStrictEqual([2, 3, 1000]);
    const a = fa.get(1, [null, null, -1], [5, 8]);
    expect(a.shape).toStrictEqual([3, 3]);
    expect(Array.from(a.data)).toStrictEqual([...row(5, 5, 8), ...row(4, 5, 8), ...row(3, 5, 8)]);
    const b = fa.get(-1, 0, -1);
    expect(b.shape).toStrictEqual([]);
    expect(Array.from(b.data)).toStrictEqual(row(3, 999, 1000));
    const c = fa.get([0, 2], [0, 3, 2]);
    expect(c.shape).toStrictEqual([2, 2, 1000]);
    expect(Array.from(c.data)).toStrictEqual([...row(0), ...row(2), ...row(3), ...row(5)]);
    expect(fa.get(0, 0, [2000, 3000]).shape).toStrictEqual([0]); // slices clamp, as numpy's do
  });

  test("equals compares the compressed representation", () => {
    expect(fa.equals(FlacArray.fromArray({ data, shape }))).toBe(true);
    expect(fa.equals(FlacArray.fromArray({ data, shape }, { level: 1 }))).toBe(false);
  });
});
