/**
 * What every opened recording offers, whatever its format: its size, rate and channels, and
 * `read` of a window of samples x channels, time-major as SpikeInterface's `get_traces` returns
 * them, in the recording's integer dtype.
 */
import { canShareMemory, InvalidArgumentError, InvalidSelectionError } from "@flacarray/core";
import type { RecordingDtype } from "./attributes.js";

/** The formats {@link openRecording} recognises. */
export type RecordingFormat = "flacarray-hdf5" | "flacarray-zarr" | "mtscomp" | "spikeglx" | "openephys" | "spikeinterface-zarr";

/** The sample types of recordings: integers, and float32 for SpikeInterface recordings saved as floats. */
export type SampleDtype = RecordingDtype | "float32";

/** A range of channels, `[start, stop)`. */
export interface ChannelRange {
  start: number;
  stop: number;
}

/** A window to read: samples `[start, stop)` (default the whole recording) of some channels (default all). */
export interface RecordingWindow {
  start?: number;
  stop?: number;
  /** Channel indices in the order wanted, or a range. */
  channels?: readonly number[] | ChannelRange;
  /**
   * Where to put the samples: an array of the recording's dtype with room for them
   * (`(stop - start) x channels` values); `data` is then a view of it. Reusing one array between
   * reads saves allocating fresh memory, which costs more than decoding on some machines; make it
   * shared memory (a SharedArrayBuffer) for workers to decode into it in place.
   */
  out?: Int16Array | Int32Array | Float32Array;
}

/** The samples of a window: `shape` is `[stop - start, channels]`, rows one after another. */
export interface RecordingSamples {
  data: Int16Array | Int32Array | Float32Array;
  shape: [number, number];
}

/** An opened recording. */
export interface Recording {
  readonly format: RecordingFormat;
  /** Samples per channel. */
  readonly nSamples: number;
  readonly nChannels: number;
  /** Samples per second; undefined when the source does not say it (a plain flacarray group without a rate). */
  readonly sampleRate: number | undefined;
  readonly dtype: SampleDtype;
  /** Each channel's name, where the source says it. */
  readonly channelNames: string[] | undefined;
  /** µV per count of each channel, where the source says it. */
  readonly bitVolts: number[] | undefined;
  /** µV to add to each channel after scaling by {@link bitVolts} (SpikeInterface's `offset_to_uV`), where the source says it. */
  readonly offsetMicrovolts?: number[];
  /** Time of the first sample in seconds (SpikeInterface's `t_starts`), where the source says it. */
  readonly startTime?: number;
  /** File, store or URL (and group), for messages. */
  readonly where: string;
  /**
   * Reads a window.
   * @throws {InvalidSelectionError} for samples or channels outside the recording (never clamped)
   * @throws the format's read errors (a corrupt stream, a failed request), naming the source
   */
  read(window?: RecordingWindow): Promise<RecordingSamples>;
  close(): Promise<void>;
}

/** A window checked against a recording of `nSamples` x `nChannels`. */
export interface ResolvedWindow {
  start: number;
  stop: number;
  channels: number[];
}

const isIndex = (v: unknown) => Number.isSafeInteger(v);

/**
 * Checks a window against the recording and fills in its defaults.
 * @throws {InvalidSelectionError} naming the recording, the bound that is wrong and the valid range
 */
export function resolveWindow(window: RecordingWindow, nSamples: number, nChannels: number, where: string): ResolvedWindow {
  const start = window.start ?? 0;
  const stop = window.stop ?? nSamples;
  if (!isIndex(start) || !isIndex(stop) || start < 0 || stop > nSamples || start > stop) {
    throw new InvalidSelectionError(`${where}: samples [${start}, ${stop}) are not inside the recording's [0, ${nSamples})`);
  }
  const c = window.channels;
  let channels: number[];
  if (c === undefined) channels = Array.from({ length: nChannels }, (_, i) => i);
  else if (Array.isArray(c)) channels = [...(c as readonly number[])];
  else {
    const range = c as ChannelRange;
    if (!isIndex(range.start) || !isIndex(range.stop) || range.start < 0 || range.stop > nChannels || range.start > range.stop) {
      throw new InvalidSelectionError(
        `${where}: channels [${range.start}, ${range.stop}) are not inside the recording's [0, ${nChannels})`,
      );
    }
    channels = Array.from({ length: range.stop - range.start }, (_, i) => range.start + i);
  }
  const bad = channels.find((ch) => !isIndex(ch) || ch < 0 || ch >= nChannels);
  if (bad !== undefined)
    throw new InvalidSelectionError(`${where}: channel ${bad} is not one of the recording's ${nChannels} (0-${nChannels - 1})`);
  return { start, stop, channels };
}

const OUTPUT_TYPES = { int16: Int16Array, int32: Int32Array, float32: Float32Array } as const;

/**
 * The array a window of `length` values goes into: a view of `window.out`, or a new array (shared
 * memory when `forWorkers` and memory can be shared).
 * @throws {InvalidArgumentError} when `out` is of another dtype or too small
 */
export function windowOutput<D extends SampleDtype>(
  window: RecordingWindow,
  dtype: D,
  length: number,
  where: string,
  forWorkers = false,
): InstanceType<(typeof OUTPUT_TYPES)[D]> {
  const Type = OUTPUT_TYPES[dtype];
  const { out } = window;
  if (out === undefined) {
    const shared = forWorkers && canShareMemory();
    return (
      shared ? new Type(new SharedArrayBuffer(length * Type.BYTES_PER_ELEMENT) as unknown as ArrayBuffer) : new Type(length)
    ) as never;
  }
  if (!(out instanceof Type) || out.length < length) {
    throw new InvalidArgumentError(
      `${where}: out must be a typed array of type ${Type.name} with room for ${length} values for this window (found ${out?.constructor?.name} of ${out?.length})`,
    );
  }
  return out.subarray(0, length) as never;
}
