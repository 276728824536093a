import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type NpyArray, readNpy } from "./npy.js";

/** Directory of the committed flacarray fixtures (copied from ../shared/fixtures/flacarray). */
export const FLACARRAY_FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "flacarray");

/** One partial-read case of a fixture. */
export interface PartialRead {
  keep: unknown[] | null;
  stream_slice: [number, number] | null;
  expected: string;
  expected_shape: number[];
  python_error?: string;
}

/** One entry of MANIFEST.fixtures. */
export interface FixtureEntry {
  id: string;
  file: string;
  container: "hdf5" | "zarr";
  group: string;
  format_version: "1" | 0;
  dtype: "int32" | "int64" | "float32" | "float64";
  shape: number[];
  level: number;
  quanta: number | null;
  quanta_array: unknown[] | null;
  precision: number | unknown[] | null;
  input: string;
  input_cast: string | null;
  expected: string;
  expected_shape: number[];
  decoded_int?: string;
  stored: {
    n_streams: number;
    stream_size: number;
    leading_shape: number[];
    flac_channels: number;
    compressed_nbytes: number;
    offsets?: number[];
    gains?: number[];
  };
  partial_reads: PartialRead[];
}

/** One entry of MANIFEST.flac_blobs. */
export interface BlobEntry {
  id: string;
  file: string;
  decoded: string;
  level: number;
  dtype: "int32" | "int64";
  channels: 1 | 2;
  n_samples: number;
  seek_check: [number, number];
}

/** The fixture manifest written by the Python generator. */
export const MANIFEST: { fixtures: FixtureEntry[]; flac_blobs: BlobEntry[] } = JSON.parse(
  readFileSync(join(FLACARRAY_FIXTURES, "MANIFEST.json"), "utf8"),
);

/** Reads a fixture `.npy`, casting int16 Neuropixels inputs to int32 as the manifest says. */
export function fixtureNpy(relative: string, cast?: string | null): NpyArray {
  const a = readNpy(join(FLACARRAY_FIXTURES, relative));
  if (cast === "int32" && a.data instanceof Int16Array) return { dtype: "<i4", shape: a.shape, data: Int32Array.from(a.data) };
  return a;
}

/** Reads a fixture file's bytes. */
export function fixtureBytes(relative: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FLACARRAY_FIXTURES, relative)));
}
