/**
 * The WebAssembly WavPack kernel (packages/numcodecs/wasm/wavpack.c: lossless words, every
 * block's decorrelation) against the TypeScript decoder: the same samples on every fixture
 * chunk, and the same samples or the same error on damaged ones, including damage behind a
 * recomputed block checksum, which reaches the words and the passes.
 */
import { decodeWavpack, InvalidChunkError } from "@flacarray/numcodecs";
import { describe, expect, test } from "vitest";
import { mulberry32 } from "../../bench/neuropixels-like.js";
import { expectSameArray } from "../helpers/arrays.js";
import { NUMCODECS_MANIFEST, numcodecsBytes } from "../helpers/numcodecs-fixtures.js";
import { resealChecksums } from "../helpers/wavpack-bytes.js";

const blobs = NUMCODECS_MANIFEST.blobs.filter((b) => b.codec.id === "wavpack");

/** The samples, or the error's reason. */
function outcome(bytes: Uint8Array, kernel: "wasm" | "typescript"): Int8Array | Int16Array | Int32Array | string {
  try {
    return decodeWavpack(bytes, { kernel }).samples;
  } catch (error) {
    if (!(error instanceof InvalidChunkError)) throw error;
    return `block ${error.block} byte ${error.byteOffset}: ${error.reason}`;
  }
}

/** Both kernels' outcomes on `bytes` agree; returns the WebAssembly one. */
function expectSameOutcome(bytes: Uint8Array, what: string): ReturnType<typeof outcome> {
  const wasm = outcome(bytes, "wasm");
  const typescript = outcome(bytes, "typescript");
  if (typeof wasm === "string" || typeof typescript === "string") expect(wasm, what).toBe(typescript);
  else expectSameArray(wasm, typescript, what);
  return wasm;
}

describe.each(blobs.map((b) => [b.id, b] as const))("%s", (_id, blob) => {
  const original = numcodecsBytes(blob.file);

  test("both kernels decode it to the same samples", () => {
    expect(typeof expectSameOutcome(original, "intact")).not.toBe("string");
  });

  test("damage behind recomputed block checksums, and cuts: the same samples or the same error", () => {
    const random = mulberry32(original.length + 7);
    for (let i = 0; i < 30; i++) {
      const damaged = original.slice();
      const at = 32 + Math.floor(random() * (damaged.length - 32));
      damaged[at] ^= 1 + Math.floor(random() * 255);
      resealChecksums(damaged);
      expectSameOutcome(damaged, `change at byte ${at}`);
    }
    for (let i = 1; i < 8; i++) {
      const cut = Math.floor((original.length * i) / 8);
      const truncated = original.slice(0, cut);
      resealChecksums(truncated);
      expectSameOutcome(truncated, `cut at ${cut}`);
    }
  });
});
