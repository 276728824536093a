export type { AppendOptions, FlacArrayAppender } from "./append.js";
export { appendFlacArray } from "./append.js";
export type { GroupSource } from "./location.js";
export type { ReadArrayOptions, ReadFlacArrayOptions, StoredZarrGroup } from "./read.js";
export { openStoredGroup, readArray, readFlacArray } from "./read.js";
export type { WriteArrayOptions, WriteOptions } from "./write.js";
export { writeArray, writeFlacArray } from "./write.js";
