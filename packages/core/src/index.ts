export type { ByteSource } from "./byte-source.js";
export { blobByteSource, httpByteSource, memoryByteSource } from "./byte-source.js";
export { bytesOf, concatBytes } from "./bytes.js";
export { compressStreamRun as _internalCompressStreamRun } from "./compress.js";
export type { AnyTypedArray, DataType, DtypeOf, NdArray, TypedArray } from "./dtypes.js";
export { channelsOf, dtypeOf, isFloat, sizeOf, TYPED_ARRAYS } from "./dtypes.js";
export type { FlacArrayErrorTag } from "./errors.js";
export {
  describeValue as _internalDescribeValue,
  FlacArrayError,
  FormatVersionError,
  firstComplaint as _internalFirstComplaint,
  InvalidArgumentError,
  InvalidFormatError,
  InvalidSelectionError,
  InvalidStreamError,
  isFlacArrayError,
  NotFoundError,
  OutputExistsError,
  PathError,
  QuantizationError,
  ReadError,
  UnsupportedDtypeError,
  WorkerError,
  WriteError,
} from "./errors.js";
export type { DecodeOptions, FlacDecoderOptions, SubframeKernelName } from "./flac/decoder.js";
export { decodeFlac, FlacDecoder } from "./flac/decoder.js";
export type { EncodeOptions } from "./flac/encoder.js";
export { FlacEncoder } from "./flac/encoder.js";
export type { SeekPoint, StreamInfo } from "./flac/metadata.js";
export { readStreamInfo } from "./flac/metadata.js";
export type {
  KnownFrame,
  StreamLayoutHint,
  StreamRangeReader,
  StreamWindowOptions,
  StreamWindowStats,
  WindowDecoder,
} from "./flac/stream-window.js";
export { decodeStreamWindow } from "./flac/stream-window.js";
export type { DecodedArray, FlacArrayParts, ToArrayOptions, WorkerOptions } from "./flac-array.js";
export { FlacArray } from "./flac-array.js";
export type { HttpAnswer, HttpBodyRead, HttpBodyReader, HttpBytes, HttpFetch, HttpOptions, HttpRange } from "./http.js";
export { DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_MS, httpGet } from "./http.js";
export type { RowsTarget } from "./interleave.js";
export { deinterleaveRows as _internalDeinterleaveRows, interleaveStreams as _internalInterleaveStreams } from "./interleave.js";
export type { FoundGroup, FoundTable, StoredDtype, StoredDtypes, StoredLayout } from "./layout.js";
export {
  assembleLayout as _internalAssembleLayout,
  checkTableShapes as _internalCheckTableShapes,
  FORMAT_VERSION,
  flacChannels as _internalFlacChannels,
  integerAttribute as _internalIntegerAttribute,
  NAMES,
  parseFormatVersion as _internalParseFormatVersion,
  SOFTWARE_VERSION,
} from "./layout.js";
export type { PackedRead } from "./packed-read.js";
export { packedFlacArray as _internalPackedFlacArray, planPackedRead as _internalPlanPackedRead } from "./packed-read.js";
export type { DecodeStreamsInput, EncodeStreamsInput } from "./pool/array-jobs.js";
export { ARRAY_JOBS, scratchInts as _internalScratchInts } from "./pool/array-jobs.js";
export { JobLimit as _internalJobLimit } from "./pool/job-limit.js";
export type { PieceReader } from "./pool/parallel.js";
export {
  allocateSharedResult as _internalAllocateSharedResult,
  compressOnWorkers as _internalCompressOnWorkers,
  decodeOnWorkers as _internalDecodeOnWorkers,
  decodeRowsOnWorkers as _internalDecodeRowsOnWorkers,
  interleaveOnWorkers as _internalInterleaveOnWorkers,
  workerWindowDecoder,
} from "./pool/parallel.js";
export type { JobFunctions, JobOutput, WorkerPort } from "./pool/serve-jobs.js";
export { serveJobs } from "./pool/serve-jobs.js";
export {
  acquireStaging as _internalAcquireStaging,
  canShareMemory,
  releaseStaging as _internalReleaseStaging,
} from "./pool/shared-memory.js";
export { closeWorkers, forEachLimited, startWorkers, workerCount as _internalWorkerCount } from "./pool/shared-pool.js";
export type { StartWorker, WorkerHandle } from "./pool/worker-pool.js";
export { WorkerPool } from "./pool/worker-pool.js";
export type { FromArrayOptions } from "./prepare-array.js";
export type { ByteRange, ReadOptions, ReadPlan } from "./read-plan.js";
export {
  allocateResult as _internalAllocateResult,
  decodeRange as _internalDecodeRange,
  planRead as _internalPlanRead,
  planResult as _internalPlanResult,
  planStreams as _internalPlanStreams,
} from "./read-plan.js";
export type { KeepMask, Key, Slice } from "./selection.js";
export { StreamTableBuilder } from "./stream-tables.js";
export { loadWasmKernel as _internalLoadWasmKernel } from "./wasm-kernel-module.js";
