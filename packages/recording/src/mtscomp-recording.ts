/** mtscomp recordings (`.cbin` + `.ch`): windows are read chunk by chunk through mtscomp's Reader. */
import { InvalidFormatError } from "@flacarray/core";
import { type Reader, withSuffix } from "@flacarray/mtscomp";
import { type Recording, type RecordingSamples, type RecordingWindow, resolveWindow, windowOutput } from "./recording.js";

/** The `.cbin` of a `.cbin` or `.ch` path or http(s) URL, or undefined for other names. */
export function cbinOf(location: string): string | undefined {
  const path = /^https?:\/\//i.test(location) ? new URL(location).pathname : location;
  if (!/\.(cbin|ch)$/i.test(path)) return undefined;
  return /\.ch$/i.test(path) ? withSuffix(location, ".cbin") : location;
}

/**
 * The recording of an open mtscomp Reader.
 * @param where - the `.cbin`, for messages
 * @throws {InvalidFormatError} for samples that are not int16 or int32
 */
export function mtscompRecording(reader: Reader, where: string, extras: { channelNames?: string[]; bitVolts?: number[] } = {}): Recording {
  const dtype = reader.dtype;
  if (dtype !== "int16" && dtype !== "int32") {
    void reader.close();
    throw new InvalidFormatError(where, `holds ${dtype} samples; recordings are int16 or int32`);
  }
  return {
    format: "mtscomp",
    nSamples: reader.nSamples,
    nChannels: reader.nChannels,
    sampleRate: reader.sampleRate,
    dtype,
    channelNames: extras.channelNames,
    bitVolts: extras.bitVolts,
    where,
    async read(window: RecordingWindow = {}): Promise<RecordingSamples> {
      const { start, stop, channels } = resolveWindow(window, reader.nSamples, reader.nChannels, where);
      const out = windowOutput(window, dtype, (stop - start) * channels.length, where);
      if (start === stop || channels.length === 0) return { data: out, shape: [stop - start, channels.length] };
      const { data } = await reader.get([start, stop], { list: channels });
      if (window.out) out.set(data as Int16Array | Int32Array);
      return { data: window.out ? out : (data as Int16Array | Int32Array), shape: [stop - start, channels.length] };
    },
    close: () => reader.close(),
  };
}
