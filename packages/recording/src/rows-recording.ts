/**
 * Uncompressed recordings read by rows (interleaved int16: SpikeGLX `.bin`, Open Ephys
 * `continuous.dat`, legacy Open Ephys records), from any row source: a file, or an http(s) URL
 * read with range requests. A window reads its rows, then keeps its channels.
 */
import { type HttpOptions, httpGet, InvalidFormatError, ReadError } from "@flacarray/core";
import type { SampleSource } from "@flacarray/mtscomp";
import {
  type Recording,
  type RecordingFormat,
  type RecordingSamples,
  type RecordingWindow,
  resolveWindow,
  windowOutput,
} from "./recording.js";

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
      const data = windowOutput(window, "int16", rows * width, source.name);
      if (rows === 0 || width === 0) return { data, shape: [rows, width] };
      const all = (await source.read(start, rows)) as Int16Array;
      for (let s = 0; s < rows; s++)
        for (let j = 0; j < width; j++) data[s * width + j] = all[s * nChannels + (channels[j] as number)] as number;
      return { data, shape: [rows, width] };
    },
    close: async () => source.close?.(),
  };
}

/**
 * A row source over an http(s) URL of interleaved int16 samples: its size from a first range
 * request, then one range request per read.
 * @throws {ReadError} when the server does not say the size or the file is missing
 * @throws {InvalidFormatError} when the size is not a whole number of rows
 */
export async function httpRowSource(url: string, nChannels: number, http: HttpOptions = {}): Promise<SampleSource> {
  const probe = await httpGet(url, { offset: 0, length: 2 * nChannels }, http);
  if (!probe) throw new ReadError(url, "not found (HTTP 404)");
  const size = probe.size;
  if (size === undefined) throw new ReadError(url, "the server does not say the file's size (Content-Range), which rows need");
  const frame = 2 * nChannels;
  if (size % frame !== 0) throw new InvalidFormatError(url, `is ${size} bytes, not a whole number of ${nChannels}-channel int16 rows`);
  const nSamples = size / frame;
  return {
    name: url,
    dtype: "int16",
    nSamples,
    nChannels,
    shape: [nSamples, nChannels],
    async read(first, count) {
      const got = await httpGet(url, { offset: first * frame, length: count * frame }, http);
      if (!got) throw new ReadError(url, "not found (HTTP 404)");
      // a copy: the samples must start at an even byte offset
      return new Int16Array(got.bytes.slice().buffer);
    },
  };
}
