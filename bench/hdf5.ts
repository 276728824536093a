// HDF5 benchmark: writing the Neuropixels-like array into an HDF5 file (compression included)
// and reading it back, in full and as a 10-channel x 30000-sample window, one thread; then the
// whole read against the raw decoder in processes of their own (against-raw-decoder.ts).
// Results: bench/results/hdf5.json.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FlacArray } from "@flacarray/core";
import { createFile, openFile, readArray, writeFlacArray } from "@flacarray/hdf5/node";
import { againstRawDecoder, printAgainstRawDecoder } from "./against-raw-decoder.js";
import { neuropixelsLike } from "./neuropixels-like.js";
import { CHANNELS, rawMB, SAMPLES, time, timeAsync, writeResults } from "./setup.js";

const data = neuropixelsLike(CHANNELS, SAMPLES, 42);
const dir = mkdtempSync(join(tmpdir(), "flacarray-bench-hdf5-"));
const path = join(dir, "npx.h5");
try {
  let fa: FlacArray | undefined;
  const compressSeconds = time(() => {
    fa = FlacArray.fromArray({ data, shape: [CHANNELS, SAMPLES] }, { level: 5 });
  });
  await createFile(join(dir, "warm-up.h5"), (file) => writeFlacArray(FlacArray.fromArray(data.subarray(0, 1000)), file)); // loads h5wasm
  const writeSeconds = await timeAsync(() => createFile(path, (file) => writeFlacArray(fa as FlacArray, file.create_group("ap"))));
  const fileMB = statSync(path).size / 1e6;

  const file = await openFile(path);
  const group = file.get("ap") as Parameters<typeof readArray>[0];
  readArray(group, { keep: Array.from({ length: CHANNELS }, (_, c) => c === 0) }); // warm up the decoder
  const readSeconds = time(() => readArray(group));
  const windowStart = Math.max(0, Math.floor(SAMPLES / 2) - 15000);
  const window = {
    keep: Array.from({ length: CHANNELS }, (_, c) => c >= 100 && c < 110),
    streamSlice: [windowStart, Math.min(SAMPLES, windowStart + 30000)] as [number, number],
  };
  readArray(group, window); // warm up
  const windows: number[] = [];
  for (let i = 0; i < 5; i++) windows.push(time(() => readArray(group, window)) * 1000);
  file.close();
  const windowMs = windows.sort((a, b) => a - b)[2];

  const results = {
    fileMB,
    ratio: rawMB / fileMB,
    compressAndVerifyMBs: rawMB / compressSeconds,
    writeFileMBs: rawMB / writeSeconds,
    writeTotalMBs: rawMB / (compressSeconds + writeSeconds),
    readMBs: rawMB / readSeconds,
    window10x30000Ms: windowMs,
  };
  console.log(
    `\n${CHANNELS} x ${SAMPLES} int16 values (${rawMB.toFixed(1)} MB) -> ${fileMB.toFixed(1)} MB HDF5 file, level 5, one thread\n`,
  );
  console.log("| step | MB/s of raw data |");
  console.log("|---|---|");
  console.log(`| compress (FlacArray.fromArray, verified) | ${results.compressAndVerifyMBs.toFixed(1)} |`);
  console.log(`| write the file (writeFlacArray, h5wasm) | ${results.writeFileMBs.toFixed(1)} |`);
  console.log(`| compress + write | ${results.writeTotalMBs.toFixed(1)} |`);
  console.log(`| read all (readArray) | ${results.readMBs.toFixed(1)} |`);
  console.log(`\n10 channels x 30000 samples from the middle of the file: ${windowMs.toFixed(1)} ms (median of 5)`);
  const readArrayRuns = againstRawDecoder(["hdf5", path]);
  printAgainstRawDecoder("readArray of the whole file and the raw decoder on its streams", "readArray", readArrayRuns);
  writeResults("hdf5", { ...results, readArrayRuns });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
