import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type NpyArray, readNpy } from "./npy.js";

/** Directory of the committed numcodecs fixtures (copied from ../shared/fixtures/numcodecs). */
export const NUMCODECS_FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "numcodecs");

/** One encoded chunk of MANIFEST.blobs, with its expected decode. */
export interface BlobEntry {
  id: string;
  file: string;
  codec: Record<string, unknown> & { id: "wavpack" | "flac" };
  dtype: string;
  expected: string;
  expected_shape: number[];
  lossless: boolean;
  nbytes: number;
}

/** One partial read of MANIFEST.stores[].arrays[]; `channel_indices` null means all channels. */
export interface StorePartialRead {
  start_frame: number;
  end_frame: number;
  channel_indices: number[] | null;
  expected: string;
  expected_shape: number[];
}

/** One `traces_seg{i}` array of a store. */
export interface StoreArray {
  path: string;
  dtype: string;
  shape: [number, number];
  chunks: [number, number];
  filters: unknown[] | null;
  expected: string;
  lossless: boolean;
  partial_reads: StorePartialRead[];
}

/** One SpikeInterface-layout Zarr store of MANIFEST.stores. */
export interface StoreEntry {
  id: string;
  store: string;
  codec: "wavpack" | "flac";
  codec_config: Record<string, unknown>;
  channel_chunk_size: number | null;
  root_attrs: { sampling_frequency: number; num_segments: number };
  extra_arrays: Record<string, { dtype: string; shape: number[]; values: unknown[] | null }>;
  arrays: StoreArray[];
}

/** The fixture set's MANIFEST.json. */
export const NUMCODECS_MANIFEST = JSON.parse(readFileSync(join(NUMCODECS_FIXTURES, "MANIFEST.json"), "utf8")) as {
  blobs: BlobEntry[];
  stores: StoreEntry[];
};

/** The bytes of a fixture file. */
export function numcodecsBytes(relative: string): Uint8Array {
  const b = readFileSync(join(NUMCODECS_FIXTURES, relative));
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

/** A fixture `.npy`. */
export function numcodecsNpy(relative: string): NpyArray {
  return readNpy(join(NUMCODECS_FIXTURES, relative));
}

/** The raw little-endian bytes of a fixture `.npy`, as a codec's decode returns them. */
export function npyBytes(relative: string): Uint8Array {
  const { data } = numcodecsNpy(relative);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Picks columns of a C-order `[rows, width]` array. */
export function pickColumns<T extends ArrayLike<number>>(data: T, width: number, columns: readonly number[]): number[] {
  const rows = data.length / width;
  const out: number[] = [];
  for (let r = 0; r < rows; r++) for (const c of columns) out.push(data[r * width + c]);
  return out;
}

/** Index of the first element that differs (NaN equals NaN), the shorter length if only lengths differ, or -1. */
export function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return i;
  return a.length === b.length ? -1 : n;
}
