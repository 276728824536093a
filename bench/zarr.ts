// Zarr benchmark: writing the Neuropixels-like array into a directory store (compression
// included) and reading it back, from the directory and over HTTP from a server on 127.0.0.1,
// in full and as a 10-channel x 30000-sample window. One thread. Then the whole read from the
// directory against the raw decoder in processes of their own (against-raw-decoder.ts).
// Results: bench/results/zarr.json.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FlacArray } from "@flacarray/core";
import { createStore, openZarr, readArray, writeFlacArray } from "@flacarray/zarr/node";
import { serveDirectory } from "../test/helpers/http-server.js";
import { againstRawDecoder, printAgainstRawDecoder } from "./against-raw-decoder.js";
import { neuropixelsLike } from "./neuropixels-like.js";
import { CHANNELS, rawMB, SAMPLES, time, timeAsync, writeResults } from "./setup.js";

const data = neuropixelsLike(CHANNELS, SAMPLES, 42);
const dir = mkdtempSync(join(tmpdir(), "flacarray-bench-zarr-"));
const server = await serveDirectory(dir);
try {
  let fa: FlacArray | undefined;
  const compressSeconds = time(() => {
    fa = FlacArray.fromArray({ data, shape: [CHANNELS, SAMPLES] }, { level: 5 });
  });
  const writeSeconds = await timeAsync(() =>
    createStore(join(dir, "npx.zarr"), (root) => writeFlacArray(fa as FlacArray, root.resolve("ap"))),
  );
  const fileMB = (fa as FlacArray).nbytes / 1e6;
  const windowStart = Math.max(0, Math.floor(SAMPLES / 2) - 15000);
  const window = {
    keep: Array.from({ length: CHANNELS }, (_, c) => c >= 100 && c < 110),
    streamSlice: [windowStart, Math.min(SAMPLES, windowStart + 30000)] as [number, number],
  };
  const sources = { local: openZarr(join(dir, "npx.zarr")).resolve("ap"), http: `${server.url}/npx.zarr/ap` };
  const results: Record<string, number> = {
    compressedMB: fileMB,
    compressAndVerifyMBs: rawMB / compressSeconds,
    writeStoreMBs: rawMB / writeSeconds,
  };
  await readArray(sources.local, { keep: window.keep }); // warm up the decoder
  for (const [name, source] of Object.entries(sources)) {
    results[`${name}ReadMBs`] = rawMB / (await timeAsync(() => readArray(source)));
    const windows: number[] = [];
    for (let i = 0; i < 5; i++) windows.push((await timeAsync(() => readArray(source, window))) * 1000);
    results[`${name}Window10x30000Ms`] = windows.sort((a, b) => a - b)[2];
  }
  console.log(
    `\n${CHANNELS} x ${SAMPLES} int16 values (${rawMB.toFixed(1)} MB) -> ${fileMB.toFixed(1)} MB Zarr v2 store, level 5, one thread\n`,
  );
  console.log("| step | MB/s of raw data | 10 ch x 30000 window |");
  console.log("|---|---|---|");
  console.log(`| compress (FlacArray.fromArray, verified) | ${results.compressAndVerifyMBs.toFixed(1)} | |`);
  console.log(`| write the store (writeFlacArray, 4 MiB raw chunks) | ${results.writeStoreMBs.toFixed(1)} | |`);
  console.log(`| read from the directory | ${results.localReadMBs.toFixed(1)} | ${results.localWindow10x30000Ms.toFixed(1)} ms |`);
  console.log(
    `| read over HTTP (127.0.0.1, Range requests) | ${results.httpReadMBs.toFixed(1)} | ${results.httpWindow10x30000Ms.toFixed(1)} ms |`,
  );
  const readArrayRuns = againstRawDecoder(["zarr", join(dir, "npx.zarr")]);
  printAgainstRawDecoder(
    "readArray of the whole store (from the directory) and the raw decoder on its streams",
    "readArray",
    readArrayRuns,
  );
  writeResults("zarr", { ...results, readArrayRuns });
} finally {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
