export type { AppendOptions, FlacArrayAppender } from "./append.js";
export { appendFlacArray } from "./append.js";
export { ConsolidatedStore, withConsolidatedMetadata } from "./consolidated.js";
export type { GroupSource, StrictStore } from "./location.js";
export { describe as describeLocation, toLocation } from "./location.js";
export type { OpenStoredGroupOptions, ReadArrayOptions, ReadFlacArrayOptions, StoredZarrGroup } from "./read.js";
export { openStoredGroup, readArray, readFlacArray } from "./read.js";
export type { WriteArrayOptions, WriteOptions } from "./write.js";
export { writeArray, writeFlacArray } from "./write.js";
