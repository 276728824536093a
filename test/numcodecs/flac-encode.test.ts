/**
 * FlacCodec.encode writes what flac-numcodecs writes, in substance: for every FLAC fixture
 * chunk, our stream of the same samples (same config, same chunk shape) is 16-bit with the
 * same channel count and frame size, decodes to the samples with our decoder and with libFLAC
 * (`flac -d`), and is about as small as libFLAC's.
 */
import { readStreamInfo } from "@flacarray/core";
import { type FlacCodec, getCodec } from "@flacarray/numcodecs";
import { describe, expect, test } from "vitest";
import { flacCliDecode, HAVE_FLAC } from "../helpers/flac-cli.js";
import { NUMCODECS_MANIFEST, numcodecsBytes, numcodecsNpy } from "../helpers/numcodecs-fixtures.js";

const blobs = NUMCODECS_MANIFEST.blobs.filter((b) => b.codec.id === "flac");

describe.each(blobs.map((b) => [b.id, b] as const))("%s", (_id, blob) => {
  const theirs = numcodecsBytes(blob.file);
  const samples = numcodecsNpy(blob.expected).data as Int16Array;
  const shape =
    (blob as unknown as { chunk_shape?: number[]; input_shape?: number[] }).chunk_shape ??
    (blob as { input_shape?: number[] }).input_shape ??
    [];
  const codec = getCodec(blob.codec) as FlacCodec;
  const ours = codec.encode(samples, shape);

  test("same stream format as flac-numcodecs", () => {
    const a = readStreamInfo(ours);
    const b = readStreamInfo(theirs);
    expect([a.channels, a.bitsPerSample, a.sampleRate, a.totalSamples]).toStrictEqual([
      b.channels,
      b.bitsPerSample,
      b.sampleRate,
      b.totalSamples,
    ]);
    if (b.totalSamples > 16) expect(a.maxBlockSize).toBe(b.maxBlockSize);
  });

  test("decodes to the samples with our decoder", () => {
    expect(new Int16Array(codec.decode(ours).buffer)).toStrictEqual(samples);
  });

  test.runIf(HAVE_FLAC)("decodes to the samples with libFLAC (flac -d)", () => {
    expect(Int16Array.from(flacCliDecode(ours))).toStrictEqual(samples);
  });

  test("is at most 5% larger than libFLAC's at the same level", () => {
    expect(ours.length).toBeLessThanOrEqual(Math.ceil(theirs.length * 1.05) + 48);
  });
});
