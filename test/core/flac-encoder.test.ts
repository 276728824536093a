import { decodeFlac, FlacDecoder, FlacEncoder, InvalidArgumentError, readStreamInfo } from "@flacarray/core";
import { describe, expect, test } from "vitest";
import { mulberry32, neuropixelsLike } from "../../bench/neuropixels-like.js";
import { ENCODER_MATRIX, matrixStreams } from "../helpers/encoder-matrix.js";
import { flacCliDecode, HAVE_FLAC } from "../helpers/flac-cli.js";

describe("FLAC encoder round trips (every stream also checked by flac -d in test/heavy)", () => {
  test.each(ENCODER_MATRIX)("%s, level %i, mono and stereo, every length", (_name, level, signal) => {
    const enc = new FlacEncoder({ level });
    for (const { samples, channels, n } of matrixStreams(signal, level)) {
      const bytes = enc.encode(samples, channels);
      const info = readStreamInfo(bytes);
      expect(info.totalSamples).toBe(n);
      expect(info.channels).toBe(channels);
      expect(info.maxBlockSize).toBe(level <= 2 ? 1152 : 4096);
      expect(decodeFlac(bytes).samples).toStrictEqual(samples);
    }
  });

  test("int64 halves (low word full range, high word small) round trip as two channels", () => {
    const n = 5000;
    const rand = mulberry32(3);
    const values = BigInt64Array.from({ length: n }, () => BigInt(Math.round((rand() - 0.5) * 2 ** 40)));
    const ints = new Int32Array(values.buffer);
    const bytes = new FlacEncoder({ level: 5 }).encode(ints, 2);
    const back = new BigInt64Array(decodeFlac(bytes).samples.buffer);
    expect(back).toStrictEqual(values);
  });

  test("encodeView gives encode's bytes as a view of the encoder's buffer, which its next call reuses", () => {
    const data = neuropixelsLike(2, 20000, 4);
    const [a, b] = [data.subarray(0, 20000), data.subarray(20000)];
    const enc = new FlacEncoder({ level: 5 });
    const copies = [enc.encode(a, 1), enc.encode(b, 1)];
    const view = enc.encodeView(a, 1);
    expect(view).toStrictEqual(copies[0]);
    const kept = view.slice();
    const next = enc.encodeView(b, 1);
    expect(next).toStrictEqual(copies[1]);
    expect(next.buffer).toBe(view.buffer);
    expect(view).not.toStrictEqual(kept); // overwritten by the second stream
    expect(copies[0]).toStrictEqual(kept); // encode's copies are the caller's
  });

  test("bits per sample is the smallest byte-aligned size holding the values", () => {
    const enc = new FlacEncoder();
    const bps = (x: number[]) => readStreamInfo(enc.encode(Int32Array.from(x), 1)).bitsPerSample;
    expect(bps([0, 1, -128, 127])).toBe(8);
    expect(bps([-129])).toBe(16);
    expect(bps([-32768, 32767])).toBe(16);
    expect(bps([32768])).toBe(24);
    expect(bps([-8388609])).toBe(32);
  });

  test("levels outside 0-8 are refused", () => {
    expect(() => new FlacEncoder({ level: 9 })).toThrow(InvalidArgumentError);
    expect(() => new FlacEncoder({ level: -1 })).toThrow(InvalidArgumentError);
    expect(() => new FlacEncoder({ level: 2.5 })).toThrow(InvalidArgumentError);
  });

  test("higher levels do not compress Neuropixels-like data worse", () => {
    const x = neuropixelsLike(1, 60000, 11);
    const size = (level: number) => new FlacEncoder({ level }).encode(x, 1).length;
    const sizes = [0, 3, 5, 8].map(size);
    expect(sizes[1]).toBeLessThan(sizes[0]);
    expect(sizes[2]).toBeLessThanOrEqual(sizes[1] * 1.001);
    expect(sizes[3]).toBeLessThanOrEqual(sizes[2] * 1.001);
  });

  test("ranges of an encoded stream decode by seeking (with its true total_samples)", () => {
    const x = neuropixelsLike(1, 50000, 5);
    const bytes = new FlacEncoder({ level: 5 }).encode(x, 1);
    const dec = new FlacDecoder();
    for (const [a, b] of [
      [0, 10],
      [4095, 4097],
      [4096, 8192],
      [49999, 50000],
      [12345, 23456],
    ]) {
      const out = new Int32Array(b - a);
      dec.decode(bytes, out, { start: a, stop: b });
      expect(out).toStrictEqual(x.subarray(a, b));
    }
  });

  test.runIf(HAVE_FLAC)("the reference flac -d decodes every stream we write at level 5 bit-exactly (every level: test/heavy)", () => {
    for (const [name, level, signal] of ENCODER_MATRIX.filter(([, l]) => l === 5)) {
      const enc = new FlacEncoder({ level });
      for (const { samples, channels, n } of matrixStreams(signal, level)) {
        expect(flacCliDecode(enc.encode(samples, channels)), `${name}, length ${n}, ${channels} channels`).toStrictEqual(samples);
      }
    }
  });
});
