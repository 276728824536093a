/**
 * SpikeInterface Zarr recordings (`recording.save(format="zarr")`, the Allen Institute's open
 * Neuropixels data): `traces_seg{i}` arrays of frames x channels compressed with any codec
 * zarrita knows plus numcodecs' "wavpack" and "flac", with `channel_ids`, `t_starts` and
 * `properties/gain_to_uV` / `offset_to_uV` beside them. A window fetches only its chunks.
 */
import { FlacArrayError, InvalidFormatError, InvalidSelectionError, NotFoundError, ReadError } from "@flacarray/core";
import type { StrictStore } from "@flacarray/zarr";
import * as zarr from "zarrita";
import type { Recording, RecordingSamples, RecordingWindow } from "./recording.js";
import { resolveWindow, windowOutput } from "./recording.js";

/** Options of {@link spikeInterfaceRecording}. */
export interface SpikeInterfaceOptions {
  /** The segment to open (`traces_seg{segment}`). Default 0. */
  segment?: number;
  /** Overrides the store's `sampling_frequency`. */
  sampleRate?: number;
}

/** The root attributes SpikeInterface writes, which mark a store as its recording. */
export function isSpikeInterfaceAttrs(attrs: Record<string, unknown>): boolean {
  return typeof attrs.sampling_frequency === "number" && Number.isSafeInteger(attrs.num_segments);
}

/** Most values a chunk may have (1 GiB as int32); zarrita decodes whole chunks. */
const MAX_CHUNK_VALUES = 2 ** 28;

const DTYPES = { int16: Int16Array, int32: Int32Array, float32: Float32Array } as const;
type SampleDtype = keyof typeof DTYPES;

/**
 * Opens segment `segment` of the SpikeInterface recording at `root`, whose root attributes are
 * `attrs`.
 * @throws {InvalidSelectionError} for a segment the recording does not have
 * @throws {InvalidFormatError} for traces that are not 2-D int16/int32/float32, or properties of the wrong length
 */
export async function spikeInterfaceRecording(
  root: zarr.Location<StrictStore>,
  attrs: Record<string, unknown>,
  where: string,
  options: SpikeInterfaceOptions = {},
): Promise<Recording> {
  // the codecs load when a SpikeInterface store is opened, not with the package
  (await import("@flacarray/numcodecs")).registerNumcodecs();
  const segments = attrs.num_segments as number;
  const segment = options.segment ?? 0;
  if (!Number.isSafeInteger(segment) || segment < 0 || segment >= segments)
    throw new InvalidSelectionError(`${where}: segment ${segment} is not one of the recording's ${segments} (0-${segments - 1})`);
  const tracesPath = `${where}/traces_seg${segment}`;
  const traces = await openArray(root, `traces_seg${segment}`, where);
  if (!traces)
    throw new NotFoundError(tracesPath, "is missing (a SpikeInterface recording has traces_seg0 to traces_seg{num_segments - 1})");
  if (traces.shape.length !== 2 || !(traces.dtype in DTYPES))
    throw new InvalidFormatError(
      tracesPath,
      `is ${traces.dtype} of shape [${traces.shape.join(", ")}], expected 2-D int16, int32 or float32 (frames x channels)`,
    );
  const chunkValues = traces.chunks.reduce((a, b) => a * b, 1);
  if (chunkValues > MAX_CHUNK_VALUES)
    throw new InvalidFormatError(
      tracesPath,
      `has chunks of ${chunkValues} values, more than the ${MAX_CHUNK_VALUES} a read may hold in memory`,
    );
  const dtype = traces.dtype as SampleDtype;
  const [nSamples, nChannels] = traces.shape as [number, number];
  // lengths are checked against the metadata before any value is fetched
  const [ids, gains, offsets, tStarts] = await Promise.all([
    optionalValues(root, "channel_ids", nChannels, where),
    optionalValues(root, "properties/gain_to_uV", nChannels, where),
    optionalValues(root, "properties/offset_to_uV", nChannels, where),
    optionalValues(root, "t_starts", segments, where),
  ]);
  const tStart = tStarts?.[segment];
  const chunkWidth = traces.chunks[1] as number;
  return {
    format: "spikeinterface-zarr",
    nSamples,
    nChannels,
    sampleRate: options.sampleRate ?? (attrs.sampling_frequency as number),
    dtype,
    channelNames: ids?.map(String),
    bitVolts: gains?.map(Number),
    offsetMicrovolts: offsets?.map(Number),
    startTime: typeof tStart === "number" && Number.isFinite(tStart) ? tStart : undefined,
    where: tracesPath,
    async read(window: RecordingWindow = {}): Promise<RecordingSamples> {
      const { start, stop, channels } = resolveWindow(window, nSamples, nChannels, tracesPath);
      const width = channels.length;
      const rows = stop - start;
      const data = windowOutput(window, dtype, rows * width, tracesPath);
      if (rows === 0 || width === 0) return { data, shape: [rows, width] };
      // One read per column of chunks that holds wanted channels: only those chunks are fetched.
      const columns = new Map<number, number[]>();
      channels.forEach((channel, j) => {
        const column = Math.floor(channel / chunkWidth);
        columns.set(column, [...(columns.get(column) ?? []), j]);
      });
      await Promise.all(
        [...columns.values()].map(async (picks) => {
          const wanted = picks.map((j) => channels[j] as number);
          const low = Math.min(...wanted);
          const high = Math.max(...wanted) + 1;
          const got = await getWindow(traces, start, stop, low, high, tracesPath);
          const span = high - low;
          for (let r = 0; r < rows; r++)
            for (const j of picks) data[r * width + j] = got[r * span + (channels[j] as number) - low] as number;
        }),
      );
      return { data, shape: [rows, width] };
    },
    close: async () => {},
  };
}

/** `[start, stop)` x `[low, high)` of the traces, with codec failures reported as the chunk's own typed errors. */
async function getWindow(
  traces: zarr.Array<zarr.DataType, StrictStore>,
  start: number,
  stop: number,
  low: number,
  high: number,
  where: string,
): Promise<ArrayLike<number>> {
  try {
    const chunk = await zarr.get(traces, [zarr.slice(start, stop), zarr.slice(low, high)]);
    return chunk.data as ArrayLike<number>;
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause;
    if (cause instanceof FlacArrayError) throw cause;
    if (err instanceof FlacArrayError) throw err;
    throw new ReadError(where, `samples [${start}, ${stop}) of channels [${low}, ${high}): ${(err as Error).message}`, { cause: err });
  }
}

/** Opens an array of the store, or undefined when it does not exist. */
async function openArray(
  root: zarr.Location<StrictStore>,
  name: string,
  where: string,
): Promise<zarr.Array<zarr.DataType, StrictStore> | undefined> {
  try {
    return await zarr.open(root.resolve(name), { kind: "array" });
  } catch (err) {
    if (err instanceof FlacArrayError) throw err;
    if ((err as Error).name === "NotFoundError" || (err as Error).name === "NodeNotFoundError") return undefined;
    throw new InvalidFormatError(`${where}/${name}`, `is not a readable Zarr array: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * The values of a small 1-D array of the store (ids, properties, t_starts), or undefined when
 * it does not exist; one of another length than `length` is refused before it is fetched.
 */
async function optionalValues(
  root: zarr.Location<StrictStore>,
  name: string,
  length: number,
  where: string,
): Promise<unknown[] | undefined> {
  const array = await openArray(root, name, where);
  if (!array) return undefined;
  if (array.shape.length !== 1 || array.shape[0] !== length)
    throw new InvalidFormatError(`${where}/${name}`, `has shape [${array.shape.join(", ")}], expected [${length}]`);
  const { data } = await zarr.get(array);
  return Array.from(data as Iterable<unknown>);
}
