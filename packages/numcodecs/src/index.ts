export type { CodecName } from "./errors.js";
export { InvalidChunkError, UnsupportedCodecError } from "./errors.js";
export type { DecodedWavpack, DecodeWavpackOptions, WavpackFormat } from "./wavpack/decode-stream.js";
export { decodeWavpack } from "./wavpack/decode-stream.js";
