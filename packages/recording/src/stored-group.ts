/**
 * A flacarray group opened for reading, whatever holds it (an HDF5 file in h5wasm, a Zarr store
 * on disk or over HTTP): its layout, attributes, the recording attributes when it is one, and a
 * reader of byte ranges of `compressed`.
 */
import { NAMES, type StoredLayout } from "@flacarray/core";
import * as hdf5 from "@flacarray/hdf5";
import * as zarr from "@flacarray/zarr";
import type { File, Group } from "h5wasm";
import { RECORDING_ATTRS, type RecordingInfo, readRecordingInfo } from "./attributes.js";
import { chooseGroup } from "./hdf5-groups.js";

/** A flacarray group opened for reading. */
export interface StoredRecording {
  /** File and group, for messages. */
  where: string;
  layout: StoredLayout;
  attrs: Record<string, unknown>;
  /** The recording attributes; undefined for ordinary flacarray groups. */
  info: RecordingInfo | undefined;
  /** Bytes `[start, end)` of `compressed`. */
  read(start: number, end: number): Promise<Uint8Array>;
  /** Whether small reads of `compressed` fetch only their bytes (raw Zarr chunks, HDF5), not whole compressed chunks. */
  rangeReads: boolean;
  close(): Promise<void>;
}

/** An HDF5 attribute's value as a plain number or string (h5py writes scalars as 1-element arrays or bigints). */
function plainValue(v: unknown): unknown {
  if (typeof v === "bigint") return Number(v);
  if (ArrayBuffer.isView(v) && (v as unknown as ArrayLike<unknown>).length === 1) return Number((v as unknown as ArrayLike<unknown>)[0]);
  return v;
}

/** The attributes of an h5wasm group as plain values. */
function attributesOf(group: File | Group): Record<string, unknown> {
  return Object.fromEntries(Object.entries(group.attrs).map(([k, a]) => [k, plainValue(a.value)]));
}

/**
 * A flacarray group of an h5wasm file; `file` is closed by `close()` when given.
 * @param name - the file's path, URL or name, for messages (`name:/group`)
 * @throws the errors of `@flacarray/hdf5`'s openStoredGroup
 */
export function hdf5Stored(group: File | Group, file?: File, name?: string): StoredRecording {
  const stored = hdf5.openStoredGroup(group);
  const { layout, compressed } = stored;
  const where = name === undefined ? stored.where : `${name}:${group.path}`;
  const attrs = attributesOf(group);
  return {
    where,
    layout,
    attrs,
    info: readRecordingInfo(attrs, layout.leadingShape, layout.streamSize, where),
    read: async (start, end) => hdf5.readBytes(compressed, start, end),
    rangeReads: true,
    close: async () => {
      file?.close();
    },
  };
}

/**
 * A flacarray group of an HDF5 file read by byte ranges: HDF5 reads the metadata and stream
 * tables; reads of `compressed` fetch their bytes straight from the source where it is stored
 * unfiltered.
 * @param group - the group's path; by default the file's only flacarray group
 * @throws the errors of `@flacarray/hdf5`'s openStoredGroup, and {ReadError} when fetching fails
 */
export async function rangeHdf5Stored(file: hdf5.RangeFile, group: string | undefined): Promise<StoredRecording> {
  const found = await file.run((f) => {
    const g = chooseGroup(f, group, file.name);
    return { path: g.path, layout: hdf5.openStoredGroup(g).layout, attrs: attributesOf(g) };
  });
  const { layout, attrs } = found;
  const where = `${file.name}:${found.path}`;
  const compressed = await hdf5.datasetBytes(file, `${found.path === "/" ? "" : found.path}/${NAMES.compressed}`);
  return {
    where,
    layout,
    attrs,
    info: readRecordingInfo(attrs, layout.leadingShape, layout.streamSize, where),
    read: (start, end) => compressed.read(start, end),
    rangeReads: true,
    close: async () => {},
  };
}

/**
 * Where a group's stream tables start: a recording's tables are (chunks, channels), so "0.0";
 * other groups are most often Python's one-stream-per-channel arrays, whose tables have one
 * dimension, so "0".
 */
function recordingTableChunkKey(attrs: Readonly<Record<string, unknown>>): string {
  return RECORDING_ATTRS.nChannels in attrs ? "0.0" : "0";
}

/**
 * A flacarray group of a Zarr store: a zarrita location, or the http(s) URL of the group.
 * @throws the errors of `@flacarray/zarr`'s openStoredGroup
 */
export async function zarrStored(source: zarr.GroupSource, http: zarr.ReadArrayOptions = {}): Promise<StoredRecording> {
  const { layout, compressed, where, attrs } = await zarr.openStoredGroup(source, { ...http, tableChunkKey: recordingTableChunkKey });
  return {
    where,
    layout,
    attrs,
    info: readRecordingInfo(attrs, layout.leadingShape, layout.streamSize, where),
    read: (start, end) => compressed.reader([{ start, end }])({ start, end }),
    rangeReads: compressed.rangeReads,
    close: async () => {},
  };
}
