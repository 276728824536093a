import {
  FlacArray,
  FlacDecoder,
  InvalidArgumentError,
  InvalidSelectionError,
  InvalidStreamError,
  isFlacArrayError,
  QuantizationError,
  UnsupportedDtypeError,
} from "@flacarray/core";
import { describe, expect, test } from "vitest";
import { caught } from "../helpers/errors.js";

const fa = FlacArray.fromArray({ data: Int32Array.from({ length: 3000 }, (_, i) => i % 17), shape: [3, 1000] });

describe("typed errors say what and where", () => {
  test("unsupported dtype", () => {
    const err = caught(() => FlacArray.fromArray(new Int16Array(10) as never));
    expect(err).toBeInstanceOf(UnsupportedDtypeError);
    expect(isFlacArrayError(err, "UnsupportedDtypeError") && err.found).toBe("Int16Array");
  });

  test("NaN in float input names the stream and sample", () => {
    const data = new Float32Array(20);
    data[13] = Number.NaN;
    const err = caught(() => FlacArray.fromArray({ data, shape: [2, 10] }, { quanta: 0.1 }));
    expect(err).toBeInstanceOf(QuantizationError);
    expect((err as Error).message).toMatch(/NaN.*stream 1, sample 3/);
  });

  test("floats need exactly one of quanta and precision", () => {
    expect(() => FlacArray.fromArray(new Float64Array(4))).toThrow(QuantizationError);
    expect(() => FlacArray.fromArray(new Float64Array(4), { quanta: 1, precision: 2 })).toThrow(QuantizationError);
    expect(() => FlacArray.fromArray({ data: new Float64Array(4), shape: [2, 2] }, { quanta: [1, 2, 3] })).toThrow(/one per stream/);
  });

  test("level outside 0-8, zero-size array, shape mismatch", () => {
    expect(() => FlacArray.fromArray(new Int32Array(4), { level: 9 })).toThrow(InvalidArgumentError);
    expect(() => FlacArray.fromArray(new Int32Array(0))).toThrow(/zero-sized/);
    expect(() => FlacArray.fromArray({ data: new Int32Array(6), shape: [4, 2] })).toThrow(InvalidArgumentError);
  });

  test("keep masks of the wrong shape, slices out of range, bad keys", () => {
    expect(() => fa.toArray({ keep: [true, false] })).toThrow(InvalidSelectionError);
    expect(() => fa.toArray({ keep: [[true], [false, true]] })).toThrow(/ragged/);
    expect(() => fa.toArray({ streamSlice: [0, 1001] })).toThrow(/outside the stream's 1000 samples/);
    expect(() => fa.toArray({ streamSlice: [500, 400] })).toThrow(InvalidSelectionError);
    expect(() => fa.get(3)).toThrow(/out of bounds for axis 0 with size 3/);
    expect(() => fa.get(0, [0, 10, 2])).toThrow(/contiguous/);
    expect(() => fa.get(0, 0, 0)).toThrow(InvalidSelectionError);
  });

  test("a corrupt stream reports its index and byte offset", () => {
    const compressed = fa.compressed.slice();
    const starts = Array.from(fa.streamStarts, Number);
    compressed[starts[1] + 100] ^= 0x5a; // inside stream 1
    const broken = new FlacArray({
      dtype: "int32",
      shape: [3, 1000],
      compressed,
      streamStarts: fa.streamStarts,
      streamBytes: fa.streamBytes,
    });
    const err = caught(() => broken.toArray());
    expect(isFlacArrayError(err, "InvalidStreamError")).toBe(true);
    expect((err as InvalidStreamError).stream).toBe(1);
    expect((err as InvalidStreamError).byteOffset).toBeGreaterThanOrEqual(42);
    expect(broken.toArray({ keep: [true, false, true] }).shape).toStrictEqual([2, 1000]); // the others still read
  });

  test("inconsistent stored parts are refused", () => {
    expect(
      () => new FlacArray({ dtype: "int32", shape: [3, 1000], compressed: fa.compressed, streamStarts: [0, 1], streamBytes: [1, 1] }),
    ).toThrow(/leading shape/);
    expect(
      () =>
        new FlacArray({
          dtype: "int32",
          shape: [3, 1000],
          compressed: fa.compressed.subarray(0, 50),
          streamStarts: fa.streamStarts,
          streamBytes: fa.streamBytes,
        }),
    ).toThrow(/outside/);
  });

  test("not FLAC at all", () => {
    const err = caught(() =>
      new FlacDecoder().decode(new TextEncoder().encode("RIFF this is not a flac stream at all....."), new Int32Array(10)),
    );
    expect(err).toBeInstanceOf(InvalidStreamError);
    expect((err as Error).message).toMatch(/expected marker "fLaC"/);
  });

  test("isFlacArrayError narrows by tag and rejects foreign errors", () => {
    const err = caught(() => fa.get(9));
    expect(isFlacArrayError(err)).toBe(true);
    expect(isFlacArrayError(err, "InvalidSelectionError")).toBe(true);
    expect(isFlacArrayError(err, "InvalidStreamError", "QuantizationError")).toBe(false);
    expect(isFlacArrayError(new Error("x"))).toBe(false);
  });
});
