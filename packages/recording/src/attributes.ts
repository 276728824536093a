/**
 * The recording layout: a raw recording (samples x channels) stored as an ordinary format-"1"
 * flacarray group of shape (nChunks, nChannels, chunkSamples), stream (k, c) being channel c
 * over time chunk k, the last chunk padded by repeating its last sample. These group attributes
 * say how to give the original samples back.
 */
import {
  _internalDescribeValue as describeValue,
  InvalidFormatError,
  _internalIntegerAttribute as integerAttribute,
} from "@flacarray/core";

/** Sample types of recordings: what SpikeGLX, Open Ephys and mtscomp store. */
export type RecordingDtype = "int16" | "int32";

/** Names of the group attributes of a recording. */
export const RECORDING_ATTRS = {
  /** Samples per channel in the recording (the padding of the last chunk excluded). */
  nSamples: "recording_n_samples",
  /** Channels. */
  nChannels: "recording_n_channels",
  /** Samples per second. */
  sampleRate: "recording_sample_rate",
  /** Sample type of the source: "int16" or "int32". */
  dtype: "recording_dtype",
  /** Samples per stream (per time chunk). */
  chunkSamples: "recording_chunk_samples",
  /** The SpikeGLX `.meta` text, when the source had one. */
  meta: "recording_spikeglx_meta",
  /** µV per count of each channel, as a JSON list (`json.loads` in Python), when the source says it. */
  bitVolts: "recording_bit_volts",
  /** The name of each channel, as a JSON list, when the source says it. */
  channelNames: "recording_channel_names",
} as const;

/** What the attributes say. */
export interface RecordingInfo {
  nSamples: number;
  nChannels: number;
  sampleRate: number;
  dtype: RecordingDtype;
  chunkSamples: number;
  meta?: string;
  /** µV per count of each channel. */
  bitVolts?: number[];
  /** Each channel's name. */
  channelNames?: string[];
}

/** The attributes of `info`, as stored. */
export function recordingAttributes(info: RecordingInfo): Record<string, number | string> {
  const attrs: Record<string, number | string> = {
    [RECORDING_ATTRS.nSamples]: info.nSamples,
    [RECORDING_ATTRS.nChannels]: info.nChannels,
    [RECORDING_ATTRS.sampleRate]: info.sampleRate,
    [RECORDING_ATTRS.dtype]: info.dtype,
    [RECORDING_ATTRS.chunkSamples]: info.chunkSamples,
  };
  if (info.meta !== undefined) attrs[RECORDING_ATTRS.meta] = info.meta;
  if (info.bitVolts !== undefined) attrs[RECORDING_ATTRS.bitVolts] = JSON.stringify(info.bitVolts);
  if (info.channelNames !== undefined) attrs[RECORDING_ATTRS.channelNames] = JSON.stringify(info.channelNames);
  return attrs;
}

/**
 * The recording info in a group's attributes, or undefined when the group is an ordinary
 * flacarray (written by Python, say).
 * @param leadingShape - the stored leading shape, which must be (nChunks, nChannels)
 * @throws {InvalidFormatError} when the attributes are incomplete or disagree with the layout
 */
export function readRecordingInfo(
  attrs: Record<string, unknown>,
  leadingShape: number[],
  streamSize: number,
  where: string,
): RecordingInfo | undefined {
  if (!(RECORDING_ATTRS.nSamples in attrs)) return undefined;
  const count = (key: string) => {
    const v = integerAttribute(attrs[key], `attribute ${key}`, where);
    if (v === null || v < 1) throw new InvalidFormatError(where, `attribute ${key} is ${describeValue(attrs[key])}, expected a count >= 1`);
    return v;
  };
  const rate = attrs[RECORDING_ATTRS.sampleRate];
  if (typeof rate !== "number" || !(rate > 0) || !Number.isFinite(rate)) {
    throw new InvalidFormatError(where, `attribute ${RECORDING_ATTRS.sampleRate} is ${describeValue(rate)}, expected a rate in Hz`);
  }
  const dtype = attrs[RECORDING_ATTRS.dtype];
  if (dtype !== "int16" && dtype !== "int32")
    throw new InvalidFormatError(where, `attribute ${RECORDING_ATTRS.dtype} is ${describeValue(dtype)}, expected "int16" or "int32"`);
  const info: RecordingInfo = {
    nSamples: count(RECORDING_ATTRS.nSamples),
    nChannels: count(RECORDING_ATTRS.nChannels),
    sampleRate: rate,
    dtype,
    chunkSamples: count(RECORDING_ATTRS.chunkSamples),
  };
  if (typeof attrs[RECORDING_ATTRS.meta] === "string") info.meta = attrs[RECORDING_ATTRS.meta] as string;
  const list = (key: string) => {
    if (typeof attrs[key] !== "string") return undefined;
    let value: unknown;
    try {
      value = JSON.parse(attrs[key] as string);
    } catch (err) {
      throw new InvalidFormatError(where, `attribute ${key} is not JSON: ${(err as Error).message}`, { cause: err });
    }
    if (!Array.isArray(value) || value.length !== info.nChannels) {
      throw new InvalidFormatError(
        where,
        `attribute ${key} holds ${describeValue(value).slice(0, 80)}, expected a list of ${info.nChannels} values`,
      );
    }
    return value;
  };
  info.bitVolts = list(RECORDING_ATTRS.bitVolts)?.map(Number);
  info.channelNames = list(RECORDING_ATTRS.channelNames)?.map(String);
  const nChunks = Math.ceil(info.nSamples / info.chunkSamples);
  if (leadingShape.length !== 2 || leadingShape[0] !== nChunks || leadingShape[1] !== info.nChannels || streamSize !== info.chunkSamples) {
    throw new InvalidFormatError(
      where,
      `a recording of ${info.nSamples} samples x ${info.nChannels} channels in chunks of ${info.chunkSamples} needs streams of shape [${nChunks}, ${info.nChannels}, ${info.chunkSamples}], found [${leadingShape}, ${streamSize}]`,
    );
  }
  return info;
}
