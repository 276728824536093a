/**
 * Opening a recording from what a browser has: an http(s) URL, a Blob or File, or bytes. The
 * format comes from the content (the HDF5 signature) or, for URLs, the name: `.cbin`/`.ch` is
 * mtscomp, `.h5`/`.hdf5` is HDF5, anything else is a Zarr group.
 */
import {
  type ByteSource,
  blobByteSource,
  type HttpOptions,
  httpByteSource,
  httpGet,
  InvalidArgumentError,
  InvalidFormatError,
  ReadError,
  startWorkers,
} from "@flacarray/core";
import { BLOCK_BYTES, openBuffer, openRangeFile } from "@flacarray/hdf5";
import { decompress, withSuffix } from "@flacarray/mtscomp";
import { type FlacArrayRecordingOptions, flacarrayRecording } from "./flacarray-recording.js";
import { chooseGroup } from "./hdf5-groups.js";
import { cbinOf, mtscompRecording } from "./mtscomp-recording.js";
import { chooseOpenEphysStream } from "./openephys-structure.js";
import type { Recording } from "./recording.js";
import { httpRowSource, rowsRecording } from "./rows-recording.js";
import { parseMeta } from "./spikeglx-meta.js";
import type { SpikeInterfaceOptions } from "./spikeinterface-recording.js";
import { hdf5Stored, rangeHdf5Stored } from "./stored-group.js";
import { openZarrRecording } from "./zarr-recording.js";

/** What {@link openRecording} opens in a browser (and in Node). */
export type RecordingSource = string | URL | Blob | ArrayBuffer | ArrayBufferView;

/** Options of {@link openRecording}. */
export interface OpenRecordingOptions extends FlacArrayRecordingOptions, SpikeInterfaceOptions, HttpOptions {
  /** The group of an HDF5 file or Zarr store (default: the only flacarray group; a Zarr URL: the URL itself). */
  group?: string;
  /** The stream of an Open Ephys recording (Node). */
  stream?: string;
}

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** Whether `head` starts with the HDF5 signature. */
export function isHdf5(head: Uint8Array): boolean {
  return HDF5_SIGNATURE.every((b, i) => head[i] === b);
}

/** Opens an HDF5 file's bytes in h5wasm's memory, and the recording of its group. */
async function fromHdf5Bytes(
  bytes: ArrayBuffer | ArrayBufferView | Blob,
  where: string,
  options: OpenRecordingOptions,
): Promise<Recording> {
  const file = await openBuffer(bytes);
  try {
    return flacarrayRecording(hdf5Stored(chooseGroup(file, options.group, where), file, where), "flacarray-hdf5", options);
  } catch (err) {
    file.close();
    throw err;
  }
}

/** Opens an HDF5 file by byte ranges, and the recording of its group. */
async function fromHdf5Ranges(
  source: ByteSource,
  prefetched: { offset: number; bytes: Uint8Array }[],
  options: OpenRecordingOptions,
): Promise<Recording> {
  const file = await openRangeFile(source, { prefetched });
  return flacarrayRecording(await rangeHdf5Stored(file, options.group), "flacarray-hdf5", options);
}

/**
 * Opens a recording.
 * - http(s) URL: a Zarr group, flacarray's or a SpikeInterface recording's (only the metadata, stream tables and the byte ranges a read needs
 *   are fetched), a `.cbin` (with its `.ch` beside it; chunks are fetched as reads need them), a
 *   SpikeGLX `.bin` (with its `.meta` beside it) or an Open Ephys `structure.oebin` (with the
 *   stream's `continuous.dat` where Open Ephys puts it), whose rows are fetched as reads need
 *   them, or an `.h5`/`.hdf5` file, of which HDF5's metadata and the byte ranges reads need are
 *   fetched.
 * - Blob or File: an HDF5 file, read by slices; bytes: an HDF5 file in memory.
 * @throws {InvalidArgumentError} for a source this entry cannot open (file paths need `@flacarray/recording/node`)
 * @throws the format's errors: {NotFoundError}, {InvalidFormatError}, {ReadError} naming the source
 */
export async function openRecording(source: RecordingSource, options: OpenRecordingOptions = {}): Promise<Recording> {
  // the workers load while the metadata is fetched, not when the first window is read
  if (options.workers) startWorkers(options.workers);
  if (typeof source === "string" || source instanceof URL) {
    const url = String(source);
    if (!/^https?:\/\//i.test(url)) {
      throw new InvalidArgumentError(`${url}: not an http(s) URL; open files with openRecording from @flacarray/recording/node`);
    }
    const path = new URL(url).pathname;
    const cbin = cbinOf(url);
    if (cbin) return mtscompRecording(await decompress(cbin, undefined, options), cbin);
    if (/\.bin$/i.test(path)) {
      const metaUrl = withSuffix(url, ".meta");
      const meta = await httpGet(metaUrl, undefined, { ...options, maxBytes: 1024 * 1024 });
      if (!meta) throw new ReadError(metaUrl, "not found (HTTP 404): a SpikeGLX .bin is read with its .meta");
      const { nChannels, sampleRate } = parseMeta(new TextDecoder().decode(meta.bytes));
      if (nChannels === undefined) throw new InvalidFormatError(metaUrl, "gives no channel count (nSavedChans from 1 to 65536)");
      return rowsRecording(await httpRowSource(url, nChannels, options), {
        format: "spikeglx",
        sampleRate: options.sampleRate ?? sampleRate,
      });
    }
    if (/\/structure\.oebin$/i.test(path)) {
      const got = await httpGet(url, undefined, { ...options, maxBytes: 16 * 1024 * 1024 });
      if (!got) throw new ReadError(url, "not found (HTTP 404)");
      const stream = chooseOpenEphysStream(new TextDecoder().decode(got.bytes), url, options.stream);
      const dat = new URL(`continuous/${stream.name.split("/").map(encodeURIComponent).join("/")}/continuous.dat`, url).href;
      return rowsRecording(await httpRowSource(dat, stream.nChannels, options), {
        format: "openephys",
        sampleRate: options.sampleRate ?? stream.sampleRate,
        bitVolts: stream.bitVolts,
        channelNames: stream.channelNames,
      });
    }
    if (/\.(h5|hdf5)$/i.test(path)) {
      const { source, head } = await httpByteSource(url, options, BLOCK_BYTES);
      return fromHdf5Ranges(source, [{ offset: 0, bytes: head }], options);
    }
    const group = options.group ? `${url.replace(/\/+$/, "")}/${options.group.replace(/^\/+/, "")}` : url;
    return openZarrRecording(group, options);
  }
  const head =
    source instanceof Blob
      ? new Uint8Array(await source.slice(0, 8).arrayBuffer())
      : ArrayBuffer.isView(source)
        ? new Uint8Array(source.buffer, source.byteOffset, Math.min(8, source.byteLength))
        : new Uint8Array(source, 0, Math.min(8, source.byteLength));
  const where = source instanceof Blob && "name" in source ? String((source as File).name) : "the bytes given";
  if (!isHdf5(head))
    throw new InvalidFormatError(where, "is not an HDF5 file (no HDF5 signature at byte 0); pass URLs for Zarr stores and mtscomp files");
  if (source instanceof Blob) return fromHdf5Ranges(blobByteSource(source, where), [], options);
  return fromHdf5Bytes(source, where, options);
}
