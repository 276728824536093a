export type { AppendOptions, FlacArrayAppender } from "./append.js";
export { appendFlacArray } from "./append.js";
export { openGroup } from "./h5-entities.js";
export { closeToBytes, openBuffer } from "./open-buffer.js";
export type { ReadArrayAsyncOptions, ReadArrayOptions, ReadFlacArrayOptions, StoredGroup } from "./read.js";
export { openStoredGroup, readArray, readArrayAsync, readFlacArray } from "./read.js";
export { readBytes } from "./transfer.js";
export type { WriteArrayAsyncOptions, WriteArrayOptions, WriteOptions } from "./write.js";
export { writeArray, writeArrayAsync, writeFlacArray } from "./write.js";
