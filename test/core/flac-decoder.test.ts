import { decodeFlac, FlacDecoder, FlacEncoder, InvalidStreamError, readStreamInfo, type SubframeKernelName } from "@flacarray/core";
import { describe, expect, test } from "vitest";
import { neuropixelsLike } from "../../bench/neuropixels-like.js";
import { fixtureBytes, fixtureNpy, MANIFEST } from "../helpers/fixtures.js";
import { flacCliDecode, flacCliEncode, HAVE_FLAC } from "../helpers/flac-cli.js";

/** Expected samples of a blob as interleaved int32 (int64 as low/high halves). */
function expectedInts(relative: string): Int32Array {
  const a = fixtureNpy(relative);
  return a.data instanceof BigInt64Array ? new Int32Array(a.data.buffer) : (a.data as Int32Array);
}

// every test runs on both subframe kernels: they must agree with the files and with each other
describe.each(["wasm", "typescript"] as SubframeKernelName[])("%s kernel", (kernel) => {
  describe("decoding libFLAC-written streams (Python flacarray blobs)", () => {
    test.each(MANIFEST.flac_blobs.map((b) => [b.id, b] as const))("%s decodes to its .npy", (_id, blob) => {
      const bytes = fixtureBytes(blob.file);
      const info = readStreamInfo(bytes);
      expect(info.totalSamples).toBe(0); // flacarray never rewrites STREAMINFO
      expect(info.bitsPerSample).toBe(32);
      expect(info.channels).toBe(blob.channels);
      const { samples } = decodeFlac(bytes, blob.n_samples, { kernel });
      expect(samples).toStrictEqual(expectedInts(blob.decoded));
      // and without being told the length: frames are counted from the end
      expect(decodeFlac(bytes, undefined, { kernel }).samples).toStrictEqual(samples);
    });

    test.each(MANIFEST.flac_blobs.map((b) => [b.id, b] as const))("%s: ranges decode to the same samples as a full decode", (_id, blob) => {
      const bytes = fixtureBytes(blob.file);
      const all = expectedInts(blob.decoded);
      const ch = blob.channels;
      const n = blob.n_samples;
      const block = blob.level <= 2 ? 1152 : 4096;
      const ranges: [number, number][] = [blob.seek_check, [0, 1], [n - 1, n], [0, n]];
      for (const b of [block - 1, block, block + 1, 2 * block]) if (b + 1 <= n) ranges.push([b, Math.min(n, b + 300)]);
      const dec = new FlacDecoder({ kernel });
      for (const [start, stop] of ranges) {
        const out = new Int32Array((stop - start) * ch);
        expect(dec.decode(bytes, out, { start, stop, totalSamples: n })).toBe(stop - start);
        expect(out).toStrictEqual(all.subarray(start * ch, stop * ch));
      }
    });

    test("decoding into an offset leaves the rest of the buffer alone", () => {
      const blob = MANIFEST.flac_blobs.find((b) => b.channels === 1 && b.n_samples > 5000) ?? MANIFEST.flac_blobs[0];
      const bytes = fixtureBytes(blob.file);
      const out = new Int32Array(120).fill(-7);
      new FlacDecoder({ kernel }).decode(bytes, out, { start: 4090, stop: 4190, outOffset: 10, totalSamples: blob.n_samples });
      expect(out.subarray(0, 10).every((v) => v === -7)).toBe(true);
      expect(out.subarray(110).every((v) => v === -7)).toBe(true);
      expect(out.subarray(10, 110)).toStrictEqual(expectedInts(blob.decoded).subarray(4090, 4190));
    });

    test("a range past the end of the stream is a typed error", () => {
      const blob = MANIFEST.flac_blobs[0];
      const bytes = fixtureBytes(blob.file);
      const out = new Int32Array(10 * blob.channels);
      expect(() =>
        new FlacDecoder({ kernel }).decode(bytes, out, { start: blob.n_samples, stop: blob.n_samples + 10, totalSamples: blob.n_samples }),
      ).toThrow(InvalidStreamError);
      // told more samples than the stream holds: the stream "ends early"
      const big = new Int32Array((blob.n_samples + 5) * blob.channels);
      expect(() => new FlacDecoder({ kernel }).decode(bytes, big, { stop: blob.n_samples + 5 })).toThrow(/ends after/);
    });

    test.runIf(HAVE_FLAC)("the reference flac -d agrees on every blob", () => {
      for (const blob of MANIFEST.flac_blobs) {
        const bytes = fixtureBytes(blob.file);
        expect(flacCliDecode(bytes)).toStrictEqual(decodeFlac(bytes, blob.n_samples, { kernel }).samples);
      }
    });
  });

  describe("streams written by the reference flac CLI", () => {
    const cases: [string, 8 | 16 | 24, number, string[]][] = [
      ["16-bit mono, -5 (seektable, padding)", 16, 1, ["-5"]],
      ["16-bit stereo, -8, block size 1024", 16, 2, ["-8", "-b", "1024"]],
      ["24-bit mono, -3, block size 576", 24, 1, ["-3", "-b", "576"]],
      ["8-bit stereo, -0, block size 192", 8, 2, ["-0", "-b", "192"]],
      ["16-bit mono, exhaustive model search and escape coding", 16, 1, ["-8", "-e", "-p", "--lax", "-l", "32", "-b", "4608"]],
    ];
    test.runIf(HAVE_FLAC).each(cases)("%s: full and partial decodes", (_name, bps, channels, args) => {
      const n = 30011;
      const scale = bps === 8 ? 1 / 300 : bps === 24 ? 200 : 1;
      const mono = neuropixelsLike(channels, n, bps).map((v) =>
        Math.max(-(2 ** (bps - 1)), Math.min(2 ** (bps - 1) - 1, Math.round(v * scale))),
      );
      const samples = new Int32Array(n * channels);
      for (let i = 0; i < n; i++) for (let c = 0; c < channels; c++) samples[i * channels + c] = mono[c * n + i];
      const bytes = flacCliEncode(samples, channels, bps, args);
      const info = readStreamInfo(bytes);
      expect(info.totalSamples).toBe(n);
      expect(decodeFlac(bytes, undefined, { kernel }).samples).toStrictEqual(samples);
      const dec = new FlacDecoder({ kernel });
      for (const [a, b] of [
        [0, 5],
        [191, 193],
        [4095, 4097],
        [17000, 17500],
        [n - 3, n],
      ]) {
        const out = new Int32Array((b - a) * channels);
        dec.decode(bytes, out, { start: a, stop: b });
        expect(out).toStrictEqual(samples.subarray(a * channels, b * channels));
      }
    });

    test.runIf(HAVE_FLAC)("a SEEKTABLE is read", () => {
      const x = neuropixelsLike(1, 100000, 1).map((v) => Math.round(v));
      const bytes = flacCliEncode(x, 1, 16, ["-5", "-S", "1000x"]);
      expect(readStreamInfo(bytes).seekPoints.length).toBeGreaterThan(10);
      const out = new Int32Array(100);
      new FlacDecoder({ kernel }).decode(bytes, out, { start: 77777, stop: 77877 });
      expect(out).toStrictEqual(x.subarray(77777, 77877));
    });
  });

  describe("32-bit LPC subframes: int32 sums where the decoded block proves them exact, exact doubles otherwise", () => {
    // smooth signals at 2^29 make LPC sums far beyond int32 (the exact path); the quiet blocks in
    // between take the fast path; every sample must come back whatever the path
    const n = 5 * 4096 + 123;
    const loud = Int32Array.from({ length: n }, (_, i) => {
      const quiet = Math.floor(i / 4096) % 2 === 1;
      return Math.round((quiet ? 300 : 2 ** 29) * Math.sin(i / 37) + (quiet ? 0 : 2 ** 20 * Math.sin(i / 5.3)));
    });
    test.each([1, 5, 8])("level %i", (level) => {
      const bytes = new FlacEncoder({ level }).encode(loud, 1);
      expect(readStreamInfo(bytes).bitsPerSample).toBe(32);
      expect(decodeFlac(bytes, undefined, { kernel }).samples).toStrictEqual(loud);
      const out = new Int32Array(600);
      new FlacDecoder({ kernel }).decode(bytes, out, { start: 4000, stop: 4600 });
      expect(out).toStrictEqual(loud.subarray(4000, 4600));
    });
  });
});
