export { compressStreams as _internalCompressStreams, decompressStreams as _internalDecompressStreams } from "./compress.js";
export type { AnyTypedArray, DataType, DtypeOf, NdArray, TypedArray } from "./dtypes.js";
export { channelsOf, dtypeOf, isFloat, sizeOf, TYPED_ARRAYS } from "./dtypes.js";
export type { FlacArrayErrorTag } from "./errors.js";
export {
  FlacArrayError,
  FormatVersionError,
  InvalidArgumentError,
  InvalidSelectionError,
  InvalidStreamError,
  isFlacArrayError,
  NotFoundError,
  QuantizationError,
  UnsupportedDtypeError,
} from "./errors.js";
export type { DecodeOptions } from "./flac/decoder.js";
export { decodeFlac, FlacDecoder } from "./flac/decoder.js";
export type { EncodeOptions } from "./flac/encoder.js";
export { FlacEncoder } from "./flac/encoder.js";
export type { SeekPoint, StreamInfo } from "./flac/metadata.js";
export { readStreamInfo } from "./flac/metadata.js";
export type { DecodedArray, FlacArrayParts, FromArrayOptions, ToArrayOptions } from "./flac-array.js";
export { FlacArray } from "./flac-array.js";
export { intToFloat32 as _internalIntToFloat32, intToFloat64 as _internalIntToFloat64 } from "./quantize.js";
export type { KeepMask, Key, Slice } from "./selection.js";
export { keptStreams as _internalKeptStreams, resolveStreamSlice as _internalResolveStreamSlice } from "./selection.js";
