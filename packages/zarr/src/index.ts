export type { GroupSource } from "./location.js";
export type { ReadArrayOptions, ReadFlacArrayOptions, StoredZarrGroup } from "./read.js";
export { openStoredGroup, readArray, readFlacArray } from "./read.js";
export type { WriteArrayOptions, WriteOptions } from "./write.js";
export { writeArray, writeFlacArray } from "./write.js";
