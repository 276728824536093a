/** Uncompressed recordings on disk: interleaved int16 files, read by rows. */
import { rawFileSource } from "@flacarray/mtscomp/node";
import type { Recording } from "../recording.js";
import { type RawRecordingInfo, rowsRecording } from "../rows-recording.js";

/** The recording of an interleaved int16 file of `nChannels` columns. */
export async function rawFileRecording(path: string, nChannels: number, info: RawRecordingInfo): Promise<Recording> {
  return rowsRecording(await rawFileSource(path, nChannels, "int16"), info);
}
