/**
 * A flacarray group opened for reading, whatever holds it (an HDF5 file in h5wasm, a Zarr store
 * on disk or over HTTP): its layout, attributes, the recording attributes when it is one, and a
 * reader of byte ranges of `compressed`.
 */
import type { StoredLayout } from "@flacarray/core";
import * as hdf5 from "@flacarray/hdf5";
import * as zarr from "@flacarray/zarr";
import type { File, Group } from "h5wasm";
import { type RecordingInfo, readRecordingInfo } from "./attributes.js";

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

/**
 * A flacarray group of an h5wasm file; `file` is closed by `close()` when given.
 * @param name - the file's path, URL or name, for messages (`name:/group`)
 * @throws the errors of `@flacarray/hdf5`'s openStoredGroup
 */
export function hdf5Stored(group: File | Group, file?: File, name?: string): StoredRecording {
  const stored = hdf5.openStoredGroup(group);
  const { layout, compressed } = stored;
  const where = name === undefined ? stored.where : `${name}:${group.path}`;
  const attrs = Object.fromEntries(Object.entries(group.attrs).map(([k, a]) => [k, plainValue(a.value)]));
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
 * A flacarray group of a Zarr store: a zarrita location, or the http(s) URL of the group.
 * @throws the errors of `@flacarray/zarr`'s openStoredGroup
 */
export async function zarrStored(source: zarr.GroupSource, http: zarr.ReadArrayOptions = {}): Promise<StoredRecording> {
  const { layout, compressed, where, attrs } = await zarr.openStoredGroup(source, http);
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
