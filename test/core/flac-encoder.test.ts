import { decodeFlac, FlacDecoder, FlacEncoder, InvalidArgumentError, readStreamInfo } from "@flacarray/core";
import { describe, expect, test } from "vitest";
import { mulberry32, neuropixelsLike } from "../../bench/neuropixels-like.js";
import { flacCliDecode, HAVE_FLAC } from "../helpers/flac-cli.js";

type Signal = (n: number, rand: () => number) => Int32Array;

const SIGNALS: Record<string, Signal> = {
  neuropixels: (n) => neuropixelsLike(1, n, 7),
  constant: (n) => new Int32Array(n).fill(-12345),
  zeros: (n) => new Int32Array(n),
  extremes: (n) => Int32Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 2147483647 : i % 3 === 1 ? -2147483648 : 0)),
  fullRangeRandom: (n, r) => Int32Array.from({ length: n }, () => (r() * 4294967296) | 0),
  wastedBits: (n, r) => Int32Array.from({ length: n }, () => Math.round((r() - 0.5) * 2000) * 64),
  int8Range: (n, r) => Int32Array.from({ length: n }, () => Math.round((r() - 0.5) * 250)),
  int24Ramp: (n) => Int32Array.from({ length: n }, (_, i) => ((i * 3001) % 16000000) - 8000000),
  sineLarge: (n) => Int32Array.from({ length: n }, (_, i) => Math.round(2e9 * Math.sin(i / 50))),
};

function interleave(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length * 2);
  for (let i = 0; i < a.length; i++) {
    out[2 * i] = a[i];
    out[2 * i + 1] = b[i];
  }
  return out;
}

describe("FLAC encoder round trips (each stream also checked by flac -d when installed)", () => {
  const lengths = [1, 2, 5, 17, 1152, 1153, 4096, 4097, 10000];
  for (const [name, signal] of Object.entries(SIGNALS)) {
    test.each([0, 1, 2, 3, 4, 5, 6, 7, 8])(`${name}, level %i, mono and stereo, every length`, (level) => {
      const enc = new FlacEncoder({ level });
      for (const n of lengths) {
        const rand = mulberry32(n * 31 + level);
        const mono = signal(n, rand);
        const stereo = interleave(
          signal(n, rand),
          signal(n, mulberry32(n)).map((v) => v >> 3),
        );
        for (const [samples, ch] of [
          [mono, 1],
          [stereo, 2],
        ] as const) {
          const bytes = enc.encode(samples, ch);
          const info = readStreamInfo(bytes);
          expect(info.totalSamples).toBe(n);
          expect(info.channels).toBe(ch);
          expect(info.maxBlockSize).toBe(level <= 2 ? 1152 : 4096);
          expect(decodeFlac(bytes).samples).toStrictEqual(samples);
          if (HAVE_FLAC) expect(flacCliDecode(bytes), `flac -d, length ${n}, ${ch} channels`).toStrictEqual(samples);
        }
      }
    });
  }

  test("int64 halves (low word full range, high word small) round trip as two channels", () => {
    const n = 5000;
    const rand = mulberry32(3);
    const values = BigInt64Array.from({ length: n }, () => BigInt(Math.round((rand() - 0.5) * 2 ** 40)));
    const ints = new Int32Array(values.buffer);
    const bytes = new FlacEncoder({ level: 5 }).encode(ints, 2);
    const back = new BigInt64Array(decodeFlac(bytes).samples.buffer);
    expect(back).toStrictEqual(values);
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

  test.runIf(HAVE_FLAC)("the reference flac -d decodes every stream we write bit-exactly", () => {
    for (const [name, signal] of Object.entries(SIGNALS)) {
      for (const level of [0, 1, 5, 8]) {
        for (const n of [1, 4097, 9000]) {
          const rand = mulberry32(n + level);
          const mono = signal(n, rand);
          const stereo = interleave(
            signal(n, rand),
            signal(n, rand).map((v) => v >> 1),
          );
          for (const [samples, ch] of [
            [mono, 1],
            [stereo, 2],
          ] as const) {
            const bytes = new FlacEncoder({ level }).encode(samples, ch);
            expect(flacCliDecode(bytes), `${name} level ${level} n ${n} channels ${ch}`).toStrictEqual(samples);
          }
        }
      }
    }
  });
});
