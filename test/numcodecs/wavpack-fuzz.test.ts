/**
 * Damage to WavPack chunks ends in a typed error or the exact data, never other samples, a
 * hang or a large allocation: every truncation point around block and sub-block boundaries,
 * and seeded random byte changes, of every WavPack fixture chunk.
 */
import { type DecodedWavpack, decodeWavpack, InvalidChunkError } from "@flacarray/numcodecs";
import { describe, expect, test } from "vitest";
import { mulberry32 } from "../../bench/neuropixels-like.js";
import { NUMCODECS_MANIFEST, numcodecsBytes } from "../helpers/numcodecs-fixtures.js";
import { resealChecksums } from "../helpers/wavpack-bytes.js";

const blobs = NUMCODECS_MANIFEST.blobs.filter((b) => b.codec.id === "wavpack");
/** Random single-byte changes per chunk. */
const MUTATIONS = 60;
/** Resealed changes, and how many of them the decoder (not the block checksum) refused. */
let resealed = 0;
let refusedPastChecksum = 0;

let lastReason = "";

/** Decodes, and returns "error" for an InvalidChunkError; anything else thrown fails the test. */
function outcome(bytes: Uint8Array, maxSamples: number): DecodedWavpack["samples"] | "error" {
  try {
    return decodeWavpack(bytes, { maxSamples }).samples;
  } catch (error) {
    if (error instanceof InvalidChunkError) {
      lastReason = error.reason;
      return "error";
    }
    throw error;
  }
}

describe.each(blobs.map((b) => [b.id, b] as const))("%s", (_id, blob) => {
  const original = numcodecsBytes(blob.file);
  const expected = decodeWavpack(original).samples;
  const maxSamples = expected.length;

  test("every truncation is an InvalidChunkError", () => {
    const cuts = new Set([0, 1, 4, 31, 32, 33, 40, original.length - 2, original.length - 1]);
    for (let i = 1; i < 24; i++) cuts.add(Math.floor((original.length * i) / 24));
    for (const cut of cuts) {
      if (cut >= original.length) continue;
      expect(outcome(original.subarray(0, cut), maxSamples), `cut at ${cut}`).toBe("error");
    }
  });

  test("random byte changes give an InvalidChunkError or the exact samples, quickly", () => {
    const random = mulberry32(original.length);
    let errors = 0;
    for (let i = 0; i < MUTATIONS; i++) {
      const damaged = original.slice();
      const at = Math.floor(random() * damaged.length);
      damaged[at] ^= 1 + Math.floor(random() * 255);
      const started = performance.now();
      const result = outcome(damaged, maxSamples);
      expect(performance.now() - started, `change at byte ${at}`).toBeLessThan(2000);
      if (result === "error") errors++;
      else expect(result, `change at byte ${at} decoded to other samples`).toStrictEqual(expected);
    }
    // unchecked bytes are rare: the block checksum covers everything before it
    expect(errors).toBeGreaterThan(MUTATIONS * 0.9);
  });

  test("changes behind a recomputed block checksum reach the decoder: errors, never a crash or a hang", () => {
    const random = mulberry32(original.length + 1);
    for (let i = 0; i < MUTATIONS; i++) {
      const damaged = original.slice();
      const at = 32 + Math.floor(random() * (damaged.length - 32));
      damaged[at] ^= 1 + Math.floor(random() * 255);
      const subBlocks = resealChecksums(damaged);
      const started = performance.now();
      const result = outcome(damaged, maxSamples);
      expect(performance.now() - started, `change at byte ${at}`).toBeLessThan(2000);
      resealed++;
      if (result === "error") {
        if (!lastReason.includes("block checksum")) refusedPastChecksum++;
        continue;
      }
      expect(result.length).toBe(expected.length);
      // The sample checksum covers the audio bitstream (not the shift and format fields,
      // which only the block checksum protects): damage there never passes as data.
      if (subBlocks.some((s) => s.id === 0xa && at >= s.start && at < s.end)) {
        expect(result, `change at byte ${at} of the bitstream decoded to other samples`).toStrictEqual(expected);
      }
    }
  });
});

test("an allocation bigger than the caller allows is refused before it is made", () => {
  const blob = blobs.find((b) => b.id === "wv_i16_mono_1d_long_two_blocks");
  const bytes = numcodecsBytes(blob?.file ?? "");
  const samples = decodeWavpack(bytes).samples.length;
  expect(() => decodeWavpack(bytes, { maxSamples: samples - 1 })).toThrow(/more than the \d+ samples allowed/);
});

test("most resealed changes were refused by the decoder itself, past the block checksum", () => {
  expect(resealed).toBe(blobs.length * MUTATIONS);
  expect(refusedPastChecksum).toBeGreaterThan(resealed * 0.5);
});
