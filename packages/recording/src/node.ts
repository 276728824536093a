/**
 * Node entry point: everything of `@flacarray/recording`, with `openRecording` also taking file
 * and folder paths, and the readers of the formats that live on disk.
 */
export * from "./index.js";
export { openRecording } from "./node/open.js";
export { containerOf, findFlacArrayGroups, openFlacarrayGroup } from "./node/open-stored.js";
export type { OpenEphysStream } from "./node/openephys.js";
export { oebinOf, openEphysStream } from "./node/openephys.js";
export type { LegacyRecording } from "./node/openephys-legacy.js";
export { isLegacyOpenEphys, LEGACY_SIGNATURE, openLegacyOpenEphys } from "./node/openephys-legacy.js";
export { rawFileRecording } from "./node/raw-recording.js";
export type { SpikeGlxMeta } from "./node/spikeglx.js";
export { findMeta } from "./node/spikeglx.js";
