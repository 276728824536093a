/**
 * Every single encoded chunk that wavpack-numcodecs 0.2.3 (libwavpack 5.6) and
 * flac-numcodecs 0.1.2 (libFLAC 1.4.2) wrote decodes to numcodecs' bytes, bit for bit:
 * hybrid WavPack included, where that means libwavpack's lossy decode.
 */
import { decodeWavpack, FlacCodec, getCodec, UnsupportedCodecError, WavpackCodec } from "@flacarray/numcodecs";
import { describe, expect, test } from "vitest";
import { NUMCODECS_MANIFEST, npyBytes, numcodecsBytes } from "../helpers/numcodecs-fixtures.js";

const blobs = NUMCODECS_MANIFEST.blobs;

describe("every fixture chunk decodes to numcodecs' bytes", () => {
  test("the fixture set has the 51 chunks, 28 WavPack and 23 FLAC", () => {
    expect(blobs).toHaveLength(51);
    expect(blobs.filter((b) => b.codec.id === "wavpack")).toHaveLength(28);
  });

  test.each(blobs.map((b) => [b.id, b] as const))("%s", (_id, blob) => {
    const codec = getCodec(blob.codec);
    expect(codec).toBeInstanceOf(blob.codec.id === "wavpack" ? WavpackCodec : FlacCodec);
    expect(codec.decode(numcodecsBytes(blob.file))).toStrictEqual(npyBytes(blob.expected));
  });
});

describe("what the WavPack blobs cover", () => {
  const formats = blobs.filter((b) => b.codec.id === "wavpack").map((b) => ({ id: b.id, ...decodeWavpack(numcodecsBytes(b.file)) }));

  test("int8, int16, int32 and float32; 1 to 8 channels (odd counts too); lossless and hybrid", () => {
    expect(new Set(formats.map((f) => `${f.bytesPerSample}${f.float ? "f" : "i"}`))).toStrictEqual(new Set(["1i", "2i", "4i", "4f"]));
    expect(new Set(formats.map((f) => f.channels))).toStrictEqual(new Set([1, 2, 3, 4, 5, 7, 8]));
    expect(formats.some((f) => f.channels === 1)).toBe(true);
    expect(formats.some((f) => f.hybrid)).toBe(true);
    expect(formats.some((f) => !f.hybrid)).toBe(true);
  });
});

test("a FLAC chunk claiming more samples than the caller allows is refused before decoding", () => {
  const blob = blobs.find((b) => b.id === "flac_i16_stereo_sr96000");
  const bytes = numcodecsBytes(blob?.file ?? "");
  const codec = new FlacCodec({ id: "flac" });
  expect(codec.decode(bytes, { maxSamples: 40000 }).length).toBe(80000);
  expect(() => codec.decode(bytes, { maxSamples: 39999 })).toThrow(/claims 40000 samples, more than the 39999 allowed/);
});

describe("configs", () => {
  test("an unknown id or a bad FLAC level is an UnsupportedCodecError", () => {
    expect(() => getCodec({ id: "blosc" })).toThrow(UnsupportedCodecError);
    expect(() => getCodec({ id: "flac", level: 9 })).toThrow(/level 9, expected 0-8/);
    expect(() => getCodec({ id: "flac", blocksize: 8 })).toThrow(/blocksize 8/);
  });
});
