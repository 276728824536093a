// @flacarray/cli: the flacarray command and the mtscomp-compatible commands, callable from code.
export type { Window } from "./chunks.js";
export { runCommand, UsageError } from "./cli.js";
export type { CompressOptions, CompressSummary } from "./commands/compress.js";
export { compressCommand, compressRecording } from "./commands/compress.js";
export { convertCommand } from "./commands/convert.js";
export { decompressCommand } from "./commands/decompress.js";
export { flacarrayCommand } from "./commands/flacarray.js";
export { describeInput, infoCommand } from "./commands/info.js";
export { mtscompCommand, mtsdecompCommand, mtsdescCommand } from "./commands/mtscomp.js";
export { ChunkWorkers } from "./pool.js";
