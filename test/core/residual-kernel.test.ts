// The encoder's WebAssembly SIMD residual (packages/core/wasm/residual.c) against the TypeScript
// loops it stands in for: the same residual and the same partition sums, for every order it
// takes, block lengths that are not multiples of 4, partitions of every size the encoder uses,
// and sums close to the 32 bits the caller's rule allows.
import { describe, expect, test } from "vitest";
import { BitWriter } from "../../packages/core/src/flac/bit-writer.js";
import { lpcResidual, windowedAutocorrelation } from "../../packages/core/src/flac/lpc.js";
import { wasmResidualKernel } from "../../packages/core/src/flac/residual-kernel.js";
import { writeResidual } from "../../packages/core/src/flac/rice-encode.js";
import { fixedErrors } from "../../packages/core/src/flac/subframe-encode.js";

/** A seeded generator of uniform numbers in [0, 1). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
}

describe("the WebAssembly residual agrees with the TypeScript one", () => {
  const kernel = wasmResidualKernel();

  test("it runs in Node 20 (WebAssembly SIMD)", () => {
    expect(kernel).not.toBeNull();
  });

  test.each([
    ["16-bit samples, 15-bit coefficients (the encoder's usual case)", 2 ** 15, 2 ** 14],
    // the caller's rule (bits of samples + coefficients + log2(order) <= 32) keeps sums in 32 bits: here up to about 2^30
    ["17-bit samples, 12-bit coefficients (sums close to 32 bits)", 2 ** 16, 2 ** 11],
  ])("%s", (_, sampleRange, coefficientRange) => {
    const rand = random(sampleRange + coefficientRange);
    let cases = 0;
    for (const n of [16, 17, 18, 19, 64, 1000, 4096, 4099]) {
      for (let order = 1; order <= 12; order++) {
        for (const partitions of [1, 2, 4, 16, 64]) {
          if (n % partitions !== 0 || n / partitions < 12 || n / partitions <= order) continue;
          const x = new Int32Array(n);
          let v = 0;
          for (let i = 0; i < n; i++) {
            v = Math.round(0.9 * v + (rand() - 0.5) * 0.2 * sampleRange);
            x[i] = Math.max(-sampleRange, Math.min(sampleRange - 1, rand() < 0.01 ? Math.round((rand() - 0.5) * 2 * sampleRange) : v));
          }
          const q = new Int32Array(32);
          for (let j = 0; j < order; j++) q[j] = Math.round((rand() - 0.5) * 2 * coefficientRange);
          const shift = Math.floor(rand() * 16);
          const partitionSize = n / partitions;
          const run = (k: typeof kernel) => {
            const res = new Int32Array(n).fill(12345);
            const sums = new Float64Array(partitions).fill(-1);
            expect(lpcResidual(x, n, q.slice(), order, shift, res, true, sums, partitionSize, k)).toBe(true);
            return { res, sums };
          };
          const wasm = run(kernel);
          const ts = run(null);
          const at = `n ${n}, order ${order}, shift ${shift}, ${partitions} partitions`;
          expect(
            wasm.res.findIndex((r, i) => r !== ts.res[i]),
            at,
          ).toBe(-1);
          expect(Array.from(wasm.sums), at).toStrictEqual(Array.from(ts.sums));
          cases++;
        }
      }
    }
    expect(cases).toBeGreaterThan(100);
  });

  test("fixed predictors at up to 27 bits: the same measure for picking one, and the same residual", () => {
    const rand = random(27);
    const fixed = [[], [1], [2, -1], [3, -3, 1], [4, -6, 4, -1]].map((q) => Int32Array.from([...q, ...new Array(12 - q.length).fill(0)]));
    for (const n of [5, 7, 64, 1001, 4096]) {
      for (const range of [2 ** 15, 2 ** 26]) {
        // a random walk, and at the largest range alternating extremes (the largest 4th differences)
        const x = Int32Array.from({ length: n }, (_, i) => (range === 2 ** 26 && i % 2 ? -range : Math.round((rand() - 0.5) * range)));
        const ts = Array.from(fixedErrors(x, n, new Float64Array(5)));
        expect(Array.from((kernel as NonNullable<typeof kernel>).fixedErrors(x, n)), `n ${n}, range ${range}`).toStrictEqual(ts);
        for (let order = 0; order <= 4 && order < n; order++) {
          const run = (k: typeof kernel) => {
            const res = new Int32Array(n);
            const sums = new Float64Array(1);
            expect(lpcResidual(x, n, (fixed[order] as Int32Array).slice(), order, 0, res, true, sums, n, k)).toBe(true);
            return [Array.from(res.subarray(order)), sums[0]];
          };
          expect(run(kernel), `order ${order}`).toStrictEqual(run(null));
        }
      }
    }
  });

  test("the autocorrelation of a windowed block: the same doubles, for every lag count and part of a block", () => {
    const rand = random(12);
    let cases = 0;
    for (const n of [16, 1001, 4096]) {
      const x = Int32Array.from({ length: n }, () => Math.round((rand() - 0.5) * 2 ** (1 + Math.floor(rand() * 30))));
      const win = Float64Array.from({ length: n }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1)));
      for (const [start, end] of [
        [0, n],
        [0, n >> 1],
        [n >> 2, n],
        [3, n - 5],
      ] as const) {
        for (let maxLag = 0; maxLag <= 12; maxLag++) {
          const wasm = new Float64Array(13).fill(-1);
          const ts = new Float64Array(13).fill(-1);
          windowedAutocorrelation(x, win, start, end, maxLag, wasm, kernel);
          windowedAutocorrelation(x, win, start, end, maxLag, ts, null);
          const lags = (a: Float64Array) => Array.from(a.subarray(0, maxLag + 1));
          expect(lags(wasm), `n ${n}, [${start}, ${end}), ${maxLag} lags`).toStrictEqual(lags(ts));
          cases++;
        }
      }
    }
    expect(cases).toBe(156);
  });

  test("Rice codes: the same bytes and pending bits, for every parameter, long unary codes and extreme residuals", () => {
    const rand = random(31);
    let cases = 0;
    for (const n of [16, 192, 4096]) {
      for (const partitionOrder of [0, 1, 3, 4]) {
        for (const rice2 of [false, true]) {
          const parts = 1 << partitionOrder;
          const order = Math.min(n / parts - 1, Math.floor(rand() * 13));
          const coding = { partitionOrder, rice2, params: new Int32Array(parts) };
          const res = new Int32Array(n);
          for (let p = 0; p < parts; p++) {
            const k = Math.floor(rand() * (rice2 ? 31 : 15));
            coding.params[p] = k;
            for (let i = p * (n / parts); i < (p + 1) * (n / parts); i++) {
              const pick = rand();
              // mostly the size the parameter suits, some codes with long unary parts, the int32 extremes when k is large
              const scale = pick < 0.9 ? 2 ** k : pick < 0.97 ? 2 ** k * 40 * rand() : k >= 22 ? 2 ** 31 : 2 ** k * 300;
              res[i] = Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, Math.round((rand() - 0.5) * 2 * scale)));
            }
          }
          const pending = Math.floor(rand() * 8);
          const prefix = Math.floor(rand() * 2 ** pending);
          const write = (useKernel: boolean) => {
            const w = new BitWriter(1 << 20); // room reserved up front, as the encoder does per frame
            w.write(0xa5, 8);
            w.write(prefix, pending);
            if (useKernel) expect((kernel as NonNullable<typeof kernel>).writeResidual(w, res, n, order, coding)).toBe(true);
            else writeResidual(w, res, n, order, coding);
            return { bytes: Array.from(w.buf.subarray(0, w.pos)), acc: w.acc, nacc: w.nacc };
          };
          expect(write(true), `n ${n}, partition order ${partitionOrder}, rice2 ${rice2}`).toStrictEqual(write(false));
          cases++;
        }
      }
    }
    expect(cases).toBe(24);
  });

  test("Rice codes of more than 1 MiB are left to TypeScript, the writer untouched", () => {
    const n = 4096;
    const res = new Int32Array(n).fill(1 << 20); // parameter 0: about 256 KiB a code
    const w = new BitWriter(64);
    w.write(5, 3);
    const coding = { partitionOrder: 0, rice2: false, params: new Int32Array([0]) };
    expect((kernel as NonNullable<typeof kernel>).writeResidual(w, res, n, 0, coding)).toBe(false);
    expect([w.pos, w.acc, w.nacc]).toStrictEqual([0, 5, 3]);
  });
});
