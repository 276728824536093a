// Write a recording into an HDF5 file as Python flacarray does, read a window of a few channels
// back, then read a file that Python flacarray 0.3.4 wrote.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFile, openFile, openGroup, readArray, writeArray } from "@flacarray/hdf5/node";
import { neuropixelsLike } from "../bench/neuropixels-like.js";

const dir = mkdtempSync(join(tmpdir(), "flacarray-example-"));
const path = join(dir, "recording.h5");
try {
  const channels = 385;
  const samples = 30000;
  const data = neuropixelsLike(channels, samples); // one second at 30 kHz, int16 values in an Int32Array

  // The file appears only once it is complete (written under a temporary name, then renamed).
  await createFile(path, (file) => writeArray({ data, shape: [channels, samples] }, file.create_group("ap"), { level: 5 }));
  console.log(`wrote ${path}: ${(statSync(path).size / 1e6).toFixed(2)} MB for ${((channels * samples * 2) / 1e6).toFixed(1)} MB of int16`);

  const file = await openFile(path);
  const keep = Array.from({ length: channels }, (_, c) => c >= 10 && c < 14); // channels 10-13
  const window = readArray<"int32">(openGroup(file, "ap"), { keep, streamSlice: [3000, 3010] }); // reads only those 4 streams
  console.log(`channels 10-13, samples 3000-3009: shape [${window.shape}]`);
  for (let r = 0; r < 4; r++) {
    const row = window.data.subarray(r * 10, r * 10 + 10);
    if (row.some((v, i) => v !== data[(10 + r) * samples + 3000 + i])) throw new Error("the window differs from the input");
    console.log(`  ${Array.from(row).join(" ")}`);
  }
  file.close();

  // A file written by Python (flacarray 0.3.4, h5py): a flacarray at the root and in nested groups.
  const python = await openFile(join(import.meta.dirname, "..", "test", "fixtures", "flacarray", "hdf5", "v1_multi.h5"));
  for (const name of ["/", "a", "a/b/c", "x/y"]) {
    const { data: values, shape } = readArray(openGroup(python, name));
    console.log(`Python-written group ${name}: ${values.constructor.name} of shape [${shape}]`);
  }
  python.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
