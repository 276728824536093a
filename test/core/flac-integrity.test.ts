/**
 * The decoder returns exactly the samples asked for or throws: damaged, edited and spliced
 * streams, partial reads, and misuse of the API (issue 11, items 2, 3, 9 and 12).
 */
import { concatBytes, decodeFlac, FlacDecoder, FlacEncoder, InvalidArgumentError, InvalidStreamError } from "@flacarray/core";
import { describe, expect, test } from "vitest";
import { mulberry32, neuropixelsLike } from "../../bench/neuropixels-like.js";
import { fixtureBytes, MANIFEST } from "../helpers/fixtures.js";
import { frameOffsets, verbatimStream, withBlockSizes, withTotal, withUnknownTotal } from "../helpers/flac-bytes.js";

const N = 40000; // ten 4096-sample frames at level 5, the last one short
const signal = neuropixelsLike(1, N, 11);
const other = neuropixelsLike(1, N, 12);
/** Our stream of `signal` as Python writes streams: STREAMINFO total 0. */
const stream = withUnknownTotal(new FlacEncoder({ level: 5 }).encode(signal, 1));
const otherStream = withUnknownTotal(new FlacEncoder({ level: 5 }).encode(other, 1));

/** Decodes `[start, stop)` with the stream size known, as the readers call it. */
function read(bytes: Uint8Array, start: number, stop: number, totalSamples = N): Int32Array {
  const out = new Int32Array(stop - start);
  expect(new FlacDecoder().decode(bytes, out, { start, stop, totalSamples })).toBe(stop - start);
  return out;
}

const RANGES: [number, number][] = [
  [0, 5],
  [4095, 4097],
  [17000, 17004],
  [20480, 24576],
  [36863, 36865],
  [N - 3, N],
  [0, N],
];

describe("positions never depend on STREAMINFO block sizes (no CRC protects them)", () => {
  test.each([
    [1152, 4096],
    [4096, 1152],
    [4608, 4608],
    [16, 16],
    [0, 0],
  ])("min %i, max %i: every range is right", (min, max) => {
    const edited = withBlockSizes(stream, min, max);
    for (const [start, stop] of RANGES) expect(read(edited, start, stop)).toStrictEqual(signal.subarray(start, stop));
  });
});

describe("missing, misnumbered and spliced frames are errors, not zeros or other data", () => {
  const offsets = frameOffsets(stream);
  const otherOffsets = frameOffsets(otherStream);

  test("the stream has the frames the tests cut up", () => {
    expect(offsets).toHaveLength(10);
    expect(otherOffsets).toHaveLength(10);
  });

  test("a stream whose first frame is missing fails every read", () => {
    const cut = concatBytes([stream.subarray(0, offsets[0]), stream.subarray(offsets[1])]);
    for (const [start, stop] of RANGES) {
      expect(() => read(cut, start, stop)).toThrow(/first frame is numbered 1, expected 0/);
    }
    expect(() => read(cut, 0, 10, N - 4096)).toThrow(/first frame is numbered 1, expected 0/);
    expect(() => decodeFlac(cut)).toThrow(InvalidStreamError);
  });

  test("a frame missing in the middle fails reads that cross it and full reads", () => {
    const cut = concatBytes([stream.subarray(0, offsets[4]), stream.subarray(offsets[5])]);
    expect(() => read(cut, 0, N)).toThrow(/expected frame 4, found 5/);
    expect(() => read(cut, 16384, 16390)).toThrow(InvalidStreamError);
    expect(() => read(cut, 20480, 20490)).toThrow(InvalidStreamError);
    expect(() => decodeFlac(cut)).toThrow(InvalidStreamError);
    // reads wholly before the gap are still right
    expect(read(cut, 100, 4000)).toStrictEqual(signal.subarray(100, 4000));
  });

  test("a frame of another stream put in place of one of different length fails reads that touch it", () => {
    const spliced = concatBytes([
      stream.subarray(0, offsets[5]),
      otherStream.subarray(otherOffsets[5], otherOffsets[6]),
      stream.subarray(offsets[6] - 3),
    ]);
    for (const [start, stop] of [
      [20480, 20490],
      [24576 + 10, 24576 + 20],
      [20000, 30000],
      [0, N],
    ] as const) {
      expect(() => read(spliced, start, stop)).toThrow(InvalidStreamError);
    }
    expect(read(spliced, 16384 + 10, 16384 + 20)).toStrictEqual(signal.subarray(16384 + 10, 16384 + 20)); // frame 4 is intact
  });

  test("frames of another stream inserted whole, with their own numbers, fail reads of them and full reads", () => {
    const spliced = concatBytes([
      stream.subarray(0, offsets[4]),
      otherStream.subarray(otherOffsets[4], otherOffsets[6]),
      stream.subarray(offsets[4]),
    ]);
    expect(() => read(spliced, 0, N)).toThrow(/expected frame 6, found 4/);
    // A read in frame 5 or 6 finds one of the two frames of that number: either this stream's own
    // (right data) or the other's, whose successor is frame 4 again (an error). A read inside the
    // other stream's frame 4 alone is bracketed by frames that chain (3, 4, 5): only a full read
    // sees that numbers repeat. The README lists this limit.
    for (const [start, stop] of [
      [20480 + 10, 20480 + 20],
      [24576 + 10, 24576 + 20],
    ]) {
      try {
        expect(read(spliced, start, stop)).toStrictEqual(signal.subarray(start, stop));
      } catch (err) {
        expect(err).toBeInstanceOf(InvalidStreamError);
      }
    }
    expect(() => decodeFlac(spliced, N)).toThrow(InvalidStreamError);
  });

  test("a stream with one frame too many, or too few, for its stream_size is an error", () => {
    expect(() => read(stream, 0, N - 1, N - 1)).toThrow(/past the stream's 39999 samples/);
    expect(() => read(stream, 0, N, N + 1)).toThrow(/ends after 40000 samples, 40001 expected/);
    expect(() => read(stream.subarray(0, offsets[9]), 0, N)).toThrow(/stream ends after 36864 samples, 40000 needed/);
  });

  test("bytes after the last frame are an error when the stream is read to its end", () => {
    const padded = concatBytes([stream, new Uint8Array(7)]);
    expect(() => read(padded, 0, N)).toThrow(/7 bytes follow the last frame/);
    expect(read(padded, 0, 100)).toStrictEqual(signal.subarray(0, 100));
  });
});

test("a 65536-sample frame decodes whole (its last sample too)", () => {
  const samples = new Int16Array(65536);
  const rand = mulberry32(5);
  for (let i = 0; i < samples.length; i++) samples[i] = Math.floor(rand() * 65536) - 32768;
  samples[65535] = 12345;
  const bytes = verbatimStream(samples);
  const { samples: got } = decodeFlac(bytes);
  expect(got).toStrictEqual(Int32Array.from(samples));
  expect(read(bytes, 65530, 65536, 65536)).toStrictEqual(Int32Array.from(samples.subarray(65530)));
});

describe("decodeFlac without a known length (STREAMINFO total 0)", () => {
  test("every bit flip and every truncation of Python-written and our streams ends in an error or the exact data", () => {
    const sources = [stream, ...MANIFEST.flac_blobs.filter((b) => b.channels === 1).map((b) => fixtureBytes(b.file))];
    const rand = mulberry32(77);
    let errors = 0;
    for (let c = 0; c < 600; c++) {
      const src = sources[c % sources.length];
      const expected = decodeFlac(src).samples;
      const offsets = frameOffsets(src);
      let bytes: Uint8Array;
      if (c % 2 === 0) {
        bytes = src.slice();
        bytes[42 + Math.floor(rand() * (bytes.length - 42))] ^= 1 << Math.floor(rand() * 8);
      } else {
        // truncate anywhere except exactly at a frame boundary (which no check can see without the length)
        let at = Math.floor(rand() * src.length);
        while (offsets.includes(at)) at++;
        bytes = src.subarray(0, at);
      }
      try {
        const got = decodeFlac(bytes).samples;
        expect(got).toStrictEqual(expected);
      } catch (err) {
        expect(err).toBeInstanceOf(InvalidStreamError);
        errors++;
      }
    }
    expect(errors).toBeGreaterThan(550);
  });

  test("with the length given, a cut exactly at a frame boundary is an error too", () => {
    const offsets = frameOffsets(stream);
    expect(() => decodeFlac(stream.subarray(0, offsets[9]), N)).toThrow(InvalidStreamError);
    expect(decodeFlac(stream.subarray(0, offsets[9])).samples).toStrictEqual(signal.subarray(0, 9 * 4096));
  });

  test("hundreds of fake frame headers appended cost linear time and end in an error", () => {
    const fake = stream.subarray(frameOffsets(stream)[3], frameOffsets(stream)[3] + 16); // a valid header and a few body bytes
    const bytes = concatBytes([stream, ...Array.from({ length: 2000 }, () => fake)]);
    const t0 = performance.now();
    expect(() => decodeFlac(bytes)).toThrow(InvalidStreamError);
    expect(() => decodeFlac(bytes, N)).toThrow(InvalidStreamError);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  test("a STREAMINFO total larger than the bytes can hold is refused before anything is allocated", () => {
    const tiny = stream.subarray(0, 60);
    for (const total of [2 ** 29, 2 ** 36 - 1]) {
      expect(() => decodeFlac(withTotal(tiny, total))).toThrow(/cannot fit in 18 bytes of frames/);
      expect(() => new FlacDecoder().decode(withTotal(tiny, total), new Int32Array(10), { stop: 10 })).toThrow(/cannot fit/);
    }
  });
});

describe("misuse of FlacDecoder.decode is an InvalidArgumentError", () => {
  const out = new Int32Array(N + 100);
  test.each([
    [{ outOffset: -100 }],
    [{ outOffset: Number.NaN }],
    [{ start: 1.5, stop: 10 }],
    [{ start: 0, stop: Number.POSITIVE_INFINITY }],
    [{ totalSamples: -1 }],
  ])("%o", (options) => {
    expect(() => new FlacDecoder().decode(stream, out, options)).toThrow(InvalidArgumentError);
  });

  test("an output shorter than a stream of unknown length", () => {
    expect(() => new FlacDecoder().decode(stream, new Int32Array(N - 1))).toThrow(InvalidArgumentError);
    expect(new FlacDecoder().decode(stream, new Int32Array(N))).toBe(N);
  });
});
