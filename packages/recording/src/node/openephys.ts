/**
 * Open Ephys binary recordings: `structure.oebin` (JSON) describes the continuous streams, each
 * of which is an interleaved int16 `continuous/<folder_name>/continuous.dat`, with its rate, its
 * channels' names and their `bit_volts` (µV per count).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { InvalidArgumentError, InvalidFormatError, InvalidSelectionError } from "@flacarray/core";

/** One continuous stream of an Open Ephys binary recording, ready to read. */
export interface OpenEphysStream {
  /** The stream's `folder_name`, without its trailing slash. */
  name: string;
  /** The interleaved int16 samples. */
  datPath: string;
  nChannels: number;
  sampleRate: number;
  /** µV per count of each channel. */
  bitVolts: number[];
  channelNames: string[];
}

/** The `structure.oebin` of `path` (the file itself, or a folder that holds one), or undefined. */
export function oebinOf(path: string): string | undefined {
  if (basename(path) === "structure.oebin") return path;
  const inside = join(path, "structure.oebin");
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() && existsSync(inside) ? inside : undefined;
}

/**
 * The continuous stream `stream` of the recording described by `oebin`: named by its
 * `folder_name` (a unique part of it is enough) or its index. Without `stream`, the only one.
 * Its data are `continuous/<folder_name>/continuous.dat`; with one stream chosen by name, a
 * `continuous.dat` beside `structure.oebin` (as in copies of one stream) is taken too.
 * @throws {InvalidSelectionError} when the choice is missing or matches none or several (the message lists them)
 * @throws {InvalidFormatError} when `structure.oebin` is not what Open Ephys writes
 */
export function openEphysStream(oebin: string, stream: string | undefined): OpenEphysStream {
  let doc: { continuous?: unknown };
  try {
    doc = JSON.parse(readFileSync(oebin, "utf8"));
  } catch (err) {
    throw new InvalidFormatError(oebin, `is not JSON: ${(err as Error).message}`, { cause: err });
  }
  const streams = Array.isArray(doc.continuous) ? (doc.continuous as Record<string, unknown>[]) : [];
  if (streams.length === 0) throw new InvalidFormatError(oebin, "lists no continuous stream");
  const names = streams.map((s) => String(s.folder_name ?? "").replace(/\/+$/, ""));
  const listing = names.map((n, i) => `${i}: ${n}`).join(", ");
  let index: number;
  if (stream === undefined) {
    if (streams.length > 1)
      throw new InvalidSelectionError(`${oebin}: holds ${streams.length} streams (${listing}); choose one with --stream (option stream)`);
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
      oebin,
      `stream ${names[index]}: num_channels ${s.num_channels}, ${channels.length} channels listed, sample_rate ${s.sample_rate}`,
    );
  }
  const nested = join(dirname(oebin), "continuous", names[index] as string, "continuous.dat");
  const flat = join(dirname(oebin), "continuous.dat");
  const datPath = existsSync(nested) ? nested : stream !== undefined || streams.length === 1 ? flat : nested;
  if (!existsSync(datPath)) throw new InvalidArgumentError(`${nested}: no such file (the data of stream ${names[index]})`);
  return {
    name: names[index] as string,
    datPath,
    nChannels,
    sampleRate,
    bitVolts: channels.map((c) => Number(c.bit_volts)),
    channelNames: channels.map((c) => String(c.channel_name ?? "")),
  };
}
