/**
 * Open Ephys binary recordings: `structure.oebin` (JSON) describes the continuous streams, each
 * of which is an interleaved int16 `continuous/<folder_name>/continuous.dat`, with its rate, its
 * channels' names and their `bit_volts` (µV per count). This part reads the JSON; the files are
 * found by the Node entry, or fetched beside the `structure.oebin` URL.
 */
import { InvalidFormatError, InvalidSelectionError } from "@flacarray/core";

/** One continuous stream that `structure.oebin` describes. */
export interface OpenEphysStreamInfo {
  /** The stream's `folder_name`, without its trailing slash. */
  name: string;
  nChannels: number;
  sampleRate: number;
  /** µV per count of each channel. */
  bitVolts: number[];
  channelNames: string[];
  /** How many streams the file lists. */
  streamCount: number;
}

/**
 * The continuous stream `stream` of a `structure.oebin` (its text): named by its `folder_name`
 * (a unique part of it is enough) or its index. Without `stream`, the only one.
 * @param where - the file or URL, for messages
 * @throws {InvalidSelectionError} when the choice is missing or matches none or several (the message lists them)
 * @throws {InvalidFormatError} when the text is not what Open Ephys writes
 */
export function chooseOpenEphysStream(text: string, where: string, stream: string | undefined): OpenEphysStreamInfo {
  let doc: { continuous?: unknown };
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new InvalidFormatError(where, `is not JSON: ${(err as Error).message}`, { cause: err });
  }
  const streams = Array.isArray(doc?.continuous) ? (doc.continuous as Record<string, unknown>[]) : [];
  if (streams.length === 0) throw new InvalidFormatError(where, "lists no continuous stream");
  const names = streams.map((s) => String(s.folder_name ?? "").replace(/\/+$/, ""));
  const listing = names.map((n, i) => `${i}: ${n}`).join(", ");
  let index: number;
  if (stream === undefined) {
    if (streams.length > 1)
      throw new InvalidSelectionError(`${where}: holds ${streams.length} streams (${listing}); choose one with --stream (option stream)`);
    index = 0;
  } else {
    const matches = /^\d+$/.test(stream)
      ? [Number(stream)].filter((i) => i < names.length)
      : names.flatMap((n, i) => (n.includes(stream) ? [i] : []));
    if (matches.length !== 1) throw new InvalidSelectionError(`--stream ${stream}: matches ${matches.length} of the streams (${listing})`);
    index = matches[0] as number;
  }
  const s = streams[index] as Record<string, unknown>;
  const channels = Array.isArray(s.channels) ? (s.channels as Record<string, unknown>[]) : [];
  const nChannels = Number(s.num_channels);
  const sampleRate = Number(s.sample_rate);
  if (!Number.isSafeInteger(nChannels) || nChannels < 1 || channels.length !== nChannels || !(sampleRate > 0)) {
    throw new InvalidFormatError(
      where,
      `stream ${names[index]}: num_channels ${s.num_channels}, ${channels.length} channels listed, sample_rate ${s.sample_rate}`,
    );
  }
  return {
    name: names[index] as string,
    nChannels,
    sampleRate,
    bitVolts: channels.map((c) => Number(c.bit_volts)),
    channelNames: channels.map((c) => String(c.channel_name ?? "")),
    streamCount: streams.length,
  };
}
