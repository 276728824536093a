/**
 * Every stream of the encoder test matrix, decoded by the reference `flac -d` (libFLAC): our
 * streams are valid FLAC for every signal, level, channel count and length.
 */
import { FlacEncoder } from "@flacarray/core";
import { expect, test } from "vitest";
import { ENCODER_MATRIX, matrixStreams } from "../helpers/encoder-matrix.js";
import { flacCliDecode, HAVE_FLAC } from "../helpers/flac-cli.js";

test.skipIf(!HAVE_FLAC).each(ENCODER_MATRIX)("%s, level %i: flac -d decodes every stream bit-exactly", (_name, level, signal) => {
  const enc = new FlacEncoder({ level });
  for (const { samples, channels, n } of matrixStreams(signal, level)) {
    expect(flacCliDecode(enc.encode(samples, channels)), `length ${n}, ${channels} channels`).toStrictEqual(samples);
  }
});
