// @flacarray/mtscomp: mtscomp .cbin/.ch files in browsers and Node (files and node:zlib: "@flacarray/mtscomp/node").
export type { Backend } from "./backend.js";
export { adler32, fflateBackend, portableBackend } from "./backend.js";
export type { ByteInput, ByteSource, HttpOptions } from "./byte-source.js";
export { readText, toByteSource } from "./byte-source.js";
export type { ChunkTransform } from "./chunk-codec.js";
export { decodeChunk, encodeChunk } from "./chunk-codec.js";
export { chunkBounds, chunkOf, roundHalfEven } from "./chunking.js";
export type { Dtype, DtypeArrays, SampleArray } from "./dtype.js";
export { DTYPES, isDtype, itemsize } from "./dtype.js";
export type { MtscompErrorTag } from "./errors.js";
export {
  CheckFailedError,
  CorruptChunkError,
  HeaderError,
  IndexError,
  InputError,
  isMtscompError,
  MtscompError,
  OutputExistsError,
  SourceError,
} from "./errors.js";
export type { ChunkOrder, HeaderFields, MtscompHeader } from "./header.js";
export { formatHeader, parseHeader } from "./header.js";
export type { HeaderInput } from "./open.js";
export { arraySource, compressArray, decompress, withSuffix } from "./open.js";
export { ordered } from "./ordered.js";
export type { PythonJsonValue } from "./python-json.js";
export { PythonFloat, pythonFloatRepr, pythonJson } from "./python-json.js";
export type { DecodedChunk, ReaderOptions, Selection } from "./reader.js";
export { Reader } from "./reader.js";
export type { AxisIndex, Slice } from "./selection.js";
export type { Hasher } from "./sha1.js";
export { sha1 } from "./sha1.js";
export type { CompressOptions, CompressResult, SampleSource } from "./writer.js";
export { checkCompressed, compressChunks, firstDifference } from "./writer.js";
