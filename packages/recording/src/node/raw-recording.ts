/**
 * Uncompressed recordings on disk: interleaved int16 rows (SpikeGLX `.bin`, Open Ephys
 * `continuous.dat`) or any row source (legacy Open Ephys). A window reads its rows, then keeps
 * its channels.
 */
import { InvalidFormatError } from "@flacarray/core";
import { rawFileSource, type SampleSource } from "@flacarray/mtscomp/node";
import { type Recording, type RecordingFormat, type RecordingSamples, type RecordingWindow, resolveWindow } from "../recording.js";

/** What the source says of a raw recording besides its samples. */
export interface RawRecordingInfo {
  format: RecordingFormat;
  sampleRate: number | undefined;
  channelNames?: string[];
  bitVolts?: number[];
}

/** The recording of a row source of int16 samples. */
export function rowsRecording(source: SampleSource, info: RawRecordingInfo): Recording {
  if (source.dtype !== "int16") throw new InvalidFormatError(source.name, `holds ${source.dtype} samples, expected int16`);
  const { nSamples, nChannels } = source;
  return {
    ...info,
    nSamples,
    nChannels,
    dtype: "int16",
    channelNames: info.channelNames,
    bitVolts: info.bitVolts,
    where: source.name,
    async read(window: RecordingWindow = {}): Promise<RecordingSamples> {
      const { start, stop, channels } = resolveWindow(window, nSamples, nChannels, source.name);
      const width = channels.length;
      const rows = stop - start;
      const data = new Int16Array(rows * width);
      if (rows === 0 || width === 0) return { data, shape: [rows, width] };
      const all = (await source.read(start, rows)) as Int16Array;
      for (let s = 0; s < rows; s++)
        for (let j = 0; j < width; j++) data[s * width + j] = all[s * nChannels + (channels[j] as number)] as number;
      return { data, shape: [rows, width] };
    },
    close: async () => source.close?.(),
  };
}

/** The recording of an interleaved int16 file of `nChannels` columns. */
export async function rawFileRecording(path: string, nChannels: number, info: RawRecordingInfo): Promise<Recording> {
  return rowsRecording(await rawFileSource(path, nChannels, "int16"), info);
}
