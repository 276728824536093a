// @flacarray/numcodecs: the numcodecs "wavpack" and "flac" codecs in TypeScript, to decode (and,
// for FLAC, encode) the chunks of SpikeInterface / AIND Zarr recordings in browsers and Node,
// alone or through zarrita after registerNumcodecs().
export type { FlacConfig, NumcodecsConfig, WavpackConfig } from "./config.js";
export type { CodecName } from "./errors.js";
export { InvalidChunkError, UnsupportedCodecError } from "./errors.js";
export { FlacCodec } from "./flac-codec.js";
export type { NumcodecsCodec } from "./get-codec.js";
export { getCodec } from "./get-codec.js";
export type { DecodedWavpack, DecodeWavpackOptions, WavpackFormat } from "./wavpack/decode-stream.js";
export { decodeWavpack } from "./wavpack/decode-stream.js";
export { WavpackCodec } from "./wavpack-codec.js";
export { registerNumcodecs } from "./zarrita.js";
