import { join } from "node:path";
import { openFile } from "@flacarray/hdf5/node";
import type { File, Group } from "h5wasm";
import { FLACARRAY_FIXTURES } from "./fixtures.js";

/** Opens a committed HDF5 fixture read-only. */
export function openFixture(relative: string): Promise<File> {
  return openFile(join(FLACARRAY_FIXTURES, relative), "r");
}

/** A member group of a file (`/` is the file itself). */
export function groupAt(file: File, path: string): Group {
  return path === "/" ? file : (file.get(path) as Group);
}
