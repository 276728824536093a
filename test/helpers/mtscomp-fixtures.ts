import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { AxisIndex } from "@flacarray/mtscomp";

/** Directory of the committed mtscomp fixtures (copied from ../shared/fixtures/mtscomp). */
export const MTSCOMP_FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "mtscomp");

/** One index item of a random-access case, as the manifest writes it. */
export type ManifestIndex = { slice: [number | null, number | null, number | null] } | { int: number } | { list: number[] };

/** One random-access case: Python's `r[index]` saved as `.npy`. */
export interface RandomAccessCase {
  id: string;
  python: string;
  index: ManifestIndex[];
  expected: string;
  shape: number[];
  dtype: string;
  numpy_equivalent: boolean;
  quirk?: string;
  numpy_result?: string;
}

/** One fixture of the manifest. */
export interface MtscompFixture {
  name: string;
  producer: string;
  raw: string;
  npy_source: string | null;
  cbin: string;
  ch: string;
  decoded: string;
  lossless: boolean;
  dtype: string;
  n_channels: number;
  n_samples: number;
  sample_rate: number;
  chunk_duration: number;
  options: { do_time_diff: boolean; do_spatial_diff: boolean; chunk_order: "F" | "C"; comp_level: number; check_after_compress: boolean };
  python_reader_ok: boolean;
  random_access: RandomAccessCase[];
}

/** Every fixture Python mtscomp wrote. */
export const MTSCOMP_MANIFEST: { fixtures: MtscompFixture[] } = JSON.parse(readFileSync(join(MTSCOMP_FIXTURES, "MANIFEST.json"), "utf8"));

/** Absolute path of a manifest path. */
export const mtscompFixture = (path: string) => join(MTSCOMP_FIXTURES, path);

/** A manifest index item as our `get` argument. */
export function toAxisIndex(item: ManifestIndex | undefined): AxisIndex {
  if (item === undefined) return undefined;
  if ("int" in item) return item.int;
  if ("list" in item) return { list: item.list };
  return item.slice;
}
