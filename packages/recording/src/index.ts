// @flacarray/recording: open any recording and read windows of it, in browsers and Node (file
// paths: "@flacarray/recording/node").
export type { RecordingDtype, RecordingInfo } from "./attributes.js";
export { RECORDING_ATTRS, readRecordingInfo, recordingAttributes } from "./attributes.js";
export type { FlacArrayRecordingOptions } from "./flacarray-recording.js";
export { flacarrayRecording } from "./flacarray-recording.js";
export { chooseGroup, flacarrayGroupsIn } from "./hdf5-groups.js";
export { mtscompRecording } from "./mtscomp-recording.js";
export type { OpenRecordingOptions, RecordingSource } from "./open.js";
export { isHdf5, openRecording } from "./open.js";
export type { OpenEphysStreamInfo } from "./openephys-structure.js";
export { chooseOpenEphysStream } from "./openephys-structure.js";
export type {
  ChannelRange,
  Recording,
  RecordingFormat,
  RecordingSamples,
  RecordingWindow,
  ResolvedWindow,
  SampleDtype,
} from "./recording.js";
export { resolveWindow } from "./recording.js";
export type { RawRecordingInfo } from "./rows-recording.js";
export { httpRowSource, rowsRecording } from "./rows-recording.js";
export type { SpikeGlxParameters } from "./spikeglx-meta.js";
export { parseMeta } from "./spikeglx-meta.js";
export type { SpikeInterfaceOptions } from "./spikeinterface-recording.js";
export { isSpikeInterfaceAttrs, spikeInterfaceRecording } from "./spikeinterface-recording.js";
export type { StoredRecording } from "./stored-group.js";
export { hdf5Stored, zarrStored } from "./stored-group.js";
export { openZarrRecording } from "./zarr-recording.js";
