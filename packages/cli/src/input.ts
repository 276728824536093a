/**
 * Recordings to compress: raw interleaved files (SpikeGLX `.bin` with its `.meta`, any
 * int16/int32 file), Open Ephys binary recordings (`structure.oebin`), legacy Open Ephys
 * `.continuous` files and mtscomp `.cbin` files, read by rows.
 */
import { statSync } from "node:fs";
import { InvalidArgumentError, InvalidSelectionError } from "@flacarray/core";
import { decompress, rawFileSource, type SampleSource } from "@flacarray/mtscomp/node";
import { UsageError } from "./cli.js";
import type { RecordingDtype } from "./jobs.js";

/** A choice the command line must make (a stream of several) is a usage error: exit code 2. */
async function asUsage<T>(open: () => T | Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (err) {
    if (err instanceof InvalidSelectionError) throw new UsageError(err.message);
    throw err;
  }
}
const openEphysStream = (oebin: string, stream: string | undefined) => asUsage(() => openStream(oebin, stream));
const openLegacyOpenEphys = (path: string, stream: string | undefined) => asUsage(() => openLegacy(path, stream));

import {
  findMeta,
  isLegacyOpenEphys,
  oebinOf,
  openLegacyOpenEphys as openLegacy,
  openEphysStream as openStream,
} from "@flacarray/recording/node";
import { headOf, recognise, startsWithZlib } from "./sniff.js";

/** A recording to compress: its rows, rate, and what the source says of its channels. */
export interface RecordingInput {
  source: SampleSource & { dtype: RecordingDtype };
  sampleRate: number;
  /** The SpikeGLX `.meta` text. */
  meta?: string;
  /** µV per count of each channel (Open Ephys `bit_volts`). */
  bitVolts?: number[];
  /** Each channel's name. */
  channelNames?: string[];
}

/** What the command line says about a raw input (each overrides the `.meta`). */
export interface InputOptions {
  nChannels?: number;
  sampleRate?: number;
  dtype?: string;
  /** The stream of an Open Ephys binary recording (a `folder_name`, part of one, or an index), or the recording of a legacy folder. */
  stream?: string;
}

/**
 * Opens `path` for reading by rows: a `.cbin` (with its `.ch`) or a raw file whose channels,
 * rate and dtype come from the options or from a SpikeGLX `.meta` beside it (dtype int16 by default).
 * @throws {InvalidArgumentError} when the path is not a file, or its content is not what a raw recording or a .cbin can be
 * @throws {UsageError} when the channel count or the rate is unknown, or the dtype is not int16/int32
 */
export async function openInput(path: string, options: InputOptions): Promise<RecordingInput> {
  const oebin = oebinOf(path);
  if (oebin) {
    const stream = await openEphysStream(oebin, options.stream);
    const source = (await rawFileSource(stream.datPath, stream.nChannels, "int16")) as RecordingInput["source"];
    return { source, sampleRate: options.sampleRate ?? stream.sampleRate, bitVolts: stream.bitVolts, channelNames: stream.channelNames };
  }
  const kind = statSync(path, { throwIfNoEntry: false });
  if (kind === undefined) throw new InvalidArgumentError(`${path}: no such file`);
  const head = kind.isFile() ? headOf(path) : undefined;
  if (isLegacyOpenEphys(path, head)) {
    const legacy = await openLegacyOpenEphys(path, options.stream);
    return { ...legacy, sampleRate: options.sampleRate ?? legacy.sampleRate };
  }
  if (options.stream !== undefined)
    throw new UsageError(
      `--stream ${options.stream}: only Open Ephys inputs (structure.oebin, or a folder of .continuous files) have streams`,
    );
  if (!kind.isFile() || head === undefined)
    throw new InvalidArgumentError(`${path}: is a ${kind.isDirectory() ? "folder" : "special file"}, not a recording file`);
  const meta = findMeta(path);
  if (/\.cbin$/i.test(path)) {
    if (head.length > 0 && !startsWithZlib(head))
      throw new InvalidArgumentError(`${path}: is not an mtscomp .cbin (no zlib stream at byte 0)`);
    const reader = await decompress(path, undefined, { cacheSize: 2 });
    if (reader.dtype !== "int16" && reader.dtype !== "int32")
      throw new UsageError(`${path}: holds ${reader.dtype} samples; recordings must be int16 or int32`);
    const source = {
      name: path,
      dtype: reader.dtype,
      nSamples: reader.nSamples,
      nChannels: reader.nChannels,
      shape: [reader.nSamples, reader.nChannels],
      read: async (first: number, count: number) => (await reader.get([first, first + count])).data,
      close: () => reader.close(),
    };
    return { source, sampleRate: reader.sampleRate, meta: meta?.text };
  }
  const recognised = recognise(head);
  if (recognised) throw new InvalidArgumentError(`${path}: is ${recognised}, not a raw recording`);
  const nChannels = options.nChannels ?? meta?.nChannels;
  const sampleRate = options.sampleRate ?? meta?.sampleRate;
  const dtype = options.dtype ?? "int16";
  if (nChannels === undefined)
    throw new UsageError(`${path}: the number of channels is unknown (give -n, or put a SpikeGLX .meta beside the file)`);
  if (sampleRate === undefined)
    throw new UsageError(`${path}: the sample rate is unknown (give -s, or put a SpikeGLX .meta beside the file)`);
  if (dtype !== "int16" && dtype !== "int32") throw new UsageError(`-d ${dtype}: recordings must be int16 or int32`);
  const source = (await rawFileSource(path, nChannels, dtype)) as RecordingInput["source"];
  return { source, sampleRate, meta: meta?.text };
}
