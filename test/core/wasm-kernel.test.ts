/**
 * The WebAssembly subframe kernel (packages/core/wasm/subframe.c) against the TypeScript one:
 * the same samples on every kind of stream, the same samples or the same error on damaged ones
 * (including damage behind a recomputed CRC, which the kernels must decode alike), and correct
 * output where its window of the stream moves or the caller's bytes change between calls.
 */
import { decodeFlac, FlacDecoder, FlacEncoder, InvalidStreamError } from "@flacarray/core";
import { describe, expect, test } from "vitest";
import { mulberry32, neuropixelsLike } from "../../bench/neuropixels-like.js";
import { crc16 } from "../../packages/core/src/flac/crc.js";
import { type WasmSubframeKernel, wasmSubframeKernel } from "../../packages/core/src/flac/wasm-kernel.js";
import { expectSameArray } from "../helpers/arrays.js";
import { fixtureBytes, MANIFEST } from "../helpers/fixtures.js";
import { frameOffsets, lpcStream, withUnknownTotal } from "../helpers/flac-bytes.js";
import { flacCliEncode, HAVE_FLAC } from "../helpers/flac-cli.js";

/** The samples, or the error's class, reason and byte offset. */
function outcome(bytes: Uint8Array, kernel: "wasm" | "typescript", totalSamples?: number): Int32Array | string {
  try {
    return decodeFlac(bytes, totalSamples, { kernel }).samples;
  } catch (err) {
    if (!(err instanceof InvalidStreamError)) throw err;
    return `${err.name}: ${err.reason} at ${err.byteOffset}`;
  }
}

/** Both kernels' outcomes on `bytes` are the same: equal samples, or the same error. */
function expectSameOutcome(bytes: Uint8Array, totalSamples?: number): Int32Array | string {
  const wasm = outcome(bytes, "wasm", totalSamples);
  const typescript = outcome(bytes, "typescript", totalSamples);
  if (typeof wasm === "string" || typeof typescript === "string") expect(wasm).toBe(typescript);
  else expectSameArray(wasm, typescript);
  return wasm;
}

describe("WebAssembly and TypeScript subframe kernels", () => {
  test("Node runs the WebAssembly kernel by default; the TypeScript one on request", () => {
    expect(new FlacDecoder().kernel).toBe("wasm");
    expect(new FlacDecoder({ kernel: "typescript" }).kernel).toBe("typescript");
  });

  const N = 30000;
  const signal = neuropixelsLike(1, N, 3);
  const ours = [1, 5, 8].map((level) => withUnknownTotal(new FlacEncoder({ level }).encode(signal, 1)));
  const wide = Int32Array.from({ length: N }, (_, i) => Math.round(2 ** 29 * Math.sin(i / 37) + 2 ** 20 * Math.sin(i / 5.3)));
  const ours32 = [1, 5, 8].map((level) => new FlacEncoder({ level }).encode(wide, 1));
  const python = MANIFEST.flac_blobs.map((b) => fixtureBytes(b.file));

  test("damage anywhere in a frame, with its CRC-16 recomputed or not: the same samples or the same error", () => {
    const sources = [...ours, ...ours32, ...python];
    const rand = mulberry32(21);
    let decodedGarbage = 0;
    for (let c = 0; c < 400; c++) {
      const src = sources[c % sources.length];
      const offsets = [...frameOffsets(src), src.length];
      const f = Math.floor(rand() * (offsets.length - 1));
      const [start, end] = [offsets[f], offsets[f + 1]];
      const bytes = src.slice();
      // a byte of the frame after its header (the header's CRC-8 would stop both kernels at once)
      const at = start + 6 + Math.floor(rand() * (end - start - 8));
      bytes[at] ^= 1 + Math.floor(rand() * 255);
      if (c % 2 === 0) {
        const crc = crc16(bytes, start, end - 2);
        bytes[end - 2] = crc >>> 8;
        bytes[end - 1] = crc & 0xff;
      }
      const wasm = expectSameOutcome(bytes);
      if (typeof wasm !== "string" && c % 2 === 0) decodedGarbage++;
    }
    // some damage behind a good CRC decodes (to other samples), and both kernels decode it alike
    expect(decodedGarbage).toBeGreaterThan(10);
  });

  test("samples pushed past 16 bits: LPC sums wrap in 32 bits where libFLAC's rule says they fit, else are exact, in both kernels", () => {
    const residuals = Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? 2 ** 30 - 1 : -(2 ** 30) + i));
    for (const order of [2, 8, 13]) {
      // (16 + 15 + 1 = 32: at order 2, every precision has 32-bit sums)
      for (const wraps of order === 2 ? [true] : [true, false]) {
        // libFLAC's rule: sums are int32 when bps + precision + ceil(log2(order)) <= 32
        const precision = wraps ? 32 - 16 - Math.ceil(Math.log2(order)) : 15;
        const top = 2 ** (precision - 1) - 1;
        const coefs = Array.from({ length: order }, (_, j) => (j === 0 ? top : j === 1 ? -(top >> 1) : 7 - j));
        // residuals raw (escaped) and Rice-coded: two ways through each kernel
        const escaped = expectSameOutcome(lpcStream(new Array(order).fill(100), coefs, precision, 3, residuals));
        const x = expectSameOutcome(lpcStream(new Array(order).fill(100), coefs, precision, 3, residuals, 28));
        if (typeof x === "string") throw new Error(x);
        expect(escaped).toStrictEqual(x);
        for (let i = order; i < x.length; i++) {
          let wrapped = 0;
          let exact = 0;
          for (let j = 0; j < order; j++) {
            wrapped = (wrapped + Math.imul(coefs[j], x[i - 1 - j])) | 0;
            exact += coefs[j] * x[i - 1 - j];
          }
          const prediction = wraps ? wrapped >> 3 : Math.floor(exact / 8);
          expect(x[i]).toBe((residuals[i - order] + prediction) | 0);
        }
      }
    }
  });

  test("Rice codes longer than one 64-bit load (long unary parts, and low bits past it) decode wholly in WebAssembly", () => {
    // The kernel reads a code from one load of 57 or more bits; longer codes take a slower path.
    // Unary parts of 0-400 zeros, with low bits of 0-20: codes on both sides of that line, and
    // codes across it by their low bits only (a short unary part, then low bits past the load).
    const decoder = new FlacDecoder();
    const rand = mulberry32(23);
    for (const k of [0, 2, 9, 20]) {
      const residuals = Array.from({ length: 300 }, (_, i) => {
        const q = i % 5 === 0 ? Math.floor(rand() * 400) : i % 5 === 1 ? 57 - k - 2 + (i % 4) : Math.floor(rand() * 4);
        const u = q * 2 ** k + Math.floor(rand() * 2 ** k);
        return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
      });
      const bytes = lpcStream([100, 90], [3, -2], 4, 0, residuals, k);
      const wasm = expectSameOutcome(bytes);
      if (typeof wasm === "string") throw new Error(wasm);
      // (sums wrap in 32 bits, as libFLAC's rule allows here: 16 + 4 + 1 <= 32)
      for (let i = 2; i < wasm.length; i++) {
        expect(wasm[i]).toBe((residuals[i - 2] + Math.imul(3, wasm[i - 1]) + Math.imul(-2, wasm[i - 2])) | 0);
      }
      decoder.decode(bytes, new Int32Array(wasm.length));
    }
    expect(decoder.framesDecodedInTypeScript).toBe(0);
  });

  test("valid streams decode wholly in WebAssembly, the last frame too, wherever its last code ends in the last word", () => {
    // Lengths 4096k + r put the stream's last bits at every offset of its last bytes; the
    // kernel's last loads then often hold zero bytes past the data after the last codes
    const decoder = new FlacDecoder();
    let streams = 0;
    for (const source of [signal, wide]) {
      for (let r = 1000; r < 1300; r += 7) {
        for (const level of [1, 5, 8]) {
          const samples = source.subarray(0, 4096 + r);
          const bytes = new FlacEncoder({ level }).encode(samples, 1);
          const out = new Int32Array(samples.length);
          decoder.decode(bytes, out);
          expectSameArray(out, samples);
          // and a window that ends in the last frame, as a recording's windows do
          decoder.decode(bytes, out, { start: 4096 + 10, stop: 4096 + r });
          expectSameArray(out.subarray(0, r - 10), samples.subarray(4106));
          streams++;
        }
      }
    }
    expect(streams).toBe(258);
    expect(decoder.framesDecodedInTypeScript).toBe(0);
  });

  test("truncations: the same samples or the same error", () => {
    const rand = mulberry32(22);
    for (const src of [...ours, ...python.slice(0, 4)]) {
      for (let c = 0; c < 30; c++) {
        const bytes = src.subarray(0, 42 + Math.floor(rand() * (src.length - 42)));
        expectSameOutcome(bytes);
        expectSameOutcome(bytes, N);
      }
    }
  });

  test("a stream several times the kernel's 1 MiB window: every frame, and windows across its moves", () => {
    const n = 1 << 21;
    const rand = mulberry32(23);
    const noise = Int32Array.from({ length: n }, () => Math.floor(rand() * 65536) - 32768);
    const bytes = new FlacEncoder({ level: 1 }).encode(noise, 1);
    expect(bytes.length).toBeGreaterThan(3 * 2 ** 20);
    expectSameArray(decodeFlac(bytes).samples, noise);
    const dec = new FlacDecoder();
    for (const start of [4095, 262143, 500000, n - 70000]) {
      const out = new Int32Array(65536);
      dec.decode(bytes, out, { start, stop: start + out.length });
      expectSameArray(out, noise.subarray(start, start + out.length));
    }
  });

  test("the caller's bytes changing between calls (one array reused for two streams) never decodes stale bytes", () => {
    const other = neuropixelsLike(1, N, 4);
    const a = new FlacEncoder({ level: 5 }).encode(signal, 1);
    const b = new FlacEncoder({ level: 5 }).encode(other, 1);
    const buffer = new Uint8Array(Math.max(a.length, b.length));
    const dec = new FlacDecoder();
    const out = new Int32Array(N);
    buffer.set(a);
    dec.decode(buffer.subarray(0, a.length), out);
    expect(out).toStrictEqual(signal);
    buffer.set(b);
    dec.decode(buffer.subarray(0, b.length), out);
    expect(out).toStrictEqual(other);
  });

  test.runIf(HAVE_FLAC)("libFLAC's stereo modes, escape codes, wasted bits and orders up to 32 decode alike", () => {
    const n = 20011;
    const left = neuropixelsLike(1, n, 5);
    const stereo = new Int32Array(2 * n);
    for (let i = 0; i < n; i++) {
      stereo[2 * i] = left[i];
      stereo[2 * i + 1] = Math.round(left[i] * 0.7) + (i % 13);
    }
    const shifted = stereo.map((v) => v * 8); // three wasted bits
    for (const [samples, args] of [
      [stereo, ["-8", "-m"]],
      [stereo, ["-8", "-e", "-p", "--lax", "-l", "32", "-b", "4608"]],
      [shifted, ["-5"]],
      [stereo, ["-0", "-b", "192"]],
    ] as const) {
      const bytes = flacCliEncode(samples, 2, 16, [...args]);
      const wasm = decodeFlac(bytes, undefined, { kernel: "wasm" }).samples;
      expect(wasm).toStrictEqual(samples);
      expect(wasm).toStrictEqual(decodeFlac(bytes, undefined, { kernel: "typescript" }).samples);
    }
  });

  test("a start or end outside the kernel's window is refused, never read: no trap, no CRC match", () => {
    const kernel = wasmSubframeKernel() as WasmSubframeKernel;
    const bytes = Uint8Array.from({ length: 100 }, (_, i) => (i * 37) % 256);
    kernel.reset();
    kernel.cover(bytes, 0, bytes.length);
    for (const bit of [801, 100_000 * 8, 2 ** 31, 2 ** 32 - 1]) expect(kernel.decode(bit, 0, 16, 16)).toBe(-1);
    expect(kernel.crc16(0, 101)).toBe(0x10000);
    expect(kernel.crc16(50, 40)).toBe(0x10000);
    expect(kernel.crc16(0, 100)).toBe(crc16(bytes, 0, 100));
    kernel.reset();
  });
});
