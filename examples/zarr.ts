// Write a recording into a Zarr store as Python flacarray does (Zarr v2), read a window of a few
// channels back, then read a store that Python flacarray 0.3.4 wrote (blosc-compressed chunks).

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createStore, openZarr, readArray, writeArray } from "@flacarray/zarr/node";
import { neuropixelsLike } from "../bench/neuropixels-like.js";

const dir = mkdtempSync(join(tmpdir(), "flacarray-example-"));
try {
  const channels = 385;
  const samples = 30000;
  const data = neuropixelsLike(channels, samples);
  const path = join(dir, "recording.zarr");

  // The store appears only once it is complete (written in a temporary directory, then renamed).
  await createStore(path, (root) => writeArray({ data, shape: [channels, samples] }, root.resolve("ap")));

  const keep = Array.from({ length: channels }, (_, c) => c === 42);
  const one = await readArray<"int32">(openZarr(path).resolve("ap"), { keep, streamSlice: [0, 10] }); // one range read of one stream
  if (one.data.some((v, i) => v !== data[42 * samples + i])) throw new Error("channel 42 differs from the input");
  console.log(`channel 42, first 10 samples (shape [${one.shape}]): ${Array.from(one.data).join(" ")}`);

  // The same call takes the URL of a store on a web server or bucket: readArray("https://.../recording.zarr/ap", { keep }).

  const python = openZarr(join(import.meta.dirname, "..", "test", "fixtures", "flacarray", "zarr", "v1_multi.zarr"));
  for (const name of ["/", "a", "a/b/c", "x/y"]) {
    const { data: values, shape } = await readArray(python.resolve(name));
    console.log(`Python-written group ${name}: ${values.constructor.name} of shape [${shape}]`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
