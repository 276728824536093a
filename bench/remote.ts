// Remote windows: one Neuropixels-like recording (385 channels, BENCH_REMOTE_SECONDS s at 30 kHz,
// default 20) in each format, served over loopback HTTP by another process, opened with
// @flacarray/recording and read as 1 s x 10-channel and 1 s x 385-channel windows from the middle,
// on 2 workers, through the Node entry (`@flacarray/recording/node`: node:zlib for mtscomp, HDF5
// opened by a rehearsal on a worker thread). Each read opens the URL afresh, as a page or service that is handed a URL does:
// ms (median of 3), requests and bytes fetched count the opening too, against the size of the
// whole file. "Next window" is the following second read from the open recording into the array
// of the first (`out`), as a viewer panning does.
// Results: bench/results/remote.json.
import { execFileSync } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { closeWorkers } from "@flacarray/core";
import { createFile, writeArray as writeH5Array } from "@flacarray/hdf5/node";
import { openRecording } from "@flacarray/recording/node";
import { createStore, writeArray } from "@flacarray/zarr/node";
import type { Group } from "h5wasm";
import { neuropixelsLike } from "./neuropixels-like.js";
import { serveInChild } from "./served-directory.js";
import { writeResults } from "./setup.js";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "..", "packages", "cli", "dist");
const [CHANNELS, RATE, SECONDS] = [385, 30000, Number(process.env.BENCH_REMOTE_SECONDS ?? 20)];
const N = RATE * SECONDS;
const dir = mkdtempSync(join(tmpdir(), "flacarray-bench-remote-"));

/** The size of a file, or of all files under a folder. */
function sizeOf(path: string): number {
  const s = statSync(path);
  if (s.isFile()) return s.size;
  return readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .reduce((n, e) => n + statSync(join(e.parentPath, e.name)).size, 0);
}

// the recording: channel-major for flacarray groups, rows for the raw and mtscomp files
const channelMajor = neuropixelsLike(CHANNELS, N, 42);
const rows = new Int16Array(N * CHANNELS);
for (let c = 0; c < CHANNELS; c++) for (let s = 0; s < N; s++) rows[s * CHANNELS + c] = channelMajor[c * N + s] as number;
const raw = join(dir, "rec_g0_t0.imec0.ap.bin");
{
  const fd = openSync(raw, "w");
  writeSync(fd, rows);
  closeSync(fd);
}
writeFileSync(join(dir, "rec_g0_t0.imec0.ap.meta"), `nSavedChans=${CHANNELS}\nimSampRate=${RATE}\n`);
const cli = (command: string, args: string[]) =>
  execFileSync(process.execPath, [join(dist, `${command}.mjs`), ...args], { stdio: "ignore" });
cli("flacarray", ["compress", raw, "-o", join(dir, "rec.zarr")]);
cli("flacarray", ["compress", raw, "-o", join(dir, "rec.h5")]);
cli("mtscomp", [raw, join(dir, "rec.cbin"), join(dir, "rec.ch"), "-d", "int16", "-n", String(CHANNELS), "-s", String(RATE)]);
mkdirSync(join(dir, "python-style"));
await createStore(join(dir, "python-style", "rec.zarr"), (root) =>
  writeArray({ data: channelMajor, shape: [CHANNELS, N] }, root.resolve("ap")),
);
await createFile(join(dir, "python-style", "rec.h5"), (file) =>
  writeH5Array({ data: channelMajor, shape: [CHANNELS, N] }, file.create_group("ap") as Group),
);

const server = await serveInChild(dir);
const formats: [string, string, string][] = [
  ["flacarray compress, Zarr", `${server.url}/rec.zarr`, join(dir, "rec.zarr")],
  ["flacarray compress, HDF5", `${server.url}/rec.h5`, join(dir, "rec.h5")],
  ["one stream per channel (Python's layout), Zarr", `${server.url}/python-style/rec.zarr/ap`, join(dir, "python-style", "rec.zarr")],
  ["one stream per channel (Python's layout), HDF5", `${server.url}/python-style/rec.h5`, join(dir, "python-style", "rec.h5")],
  ["mtscomp .cbin", `${server.url}/rec.cbin`, join(dir, "rec.cbin")],
  ["SpikeGLX .bin (uncompressed)", `${server.url}/rec_g0_t0.imec0.ap.bin`, raw],
];
const windows: [string, number[]][] = [
  ["1 s x 10 channels", Array.from({ length: 10 }, (_, i) => 100 + i)],
  ["1 s x 385 channels", Array.from({ length: CHANNELS }, (_, i) => i)],
];
const start = Math.floor(N / 2);
const results: Record<string, unknown>[] = [];
try {
  console.log(`\n${CHANNELS} channels x ${SECONDS} s at ${RATE} Hz over loopback HTTP; windows from the middle; 2 workers; median of 3\n`);
  console.log("| format | whole file | window | open + read, ms | requests | bytes fetched | next window, ms | requests | bytes fetched |");
  console.log("|---|---|---|---|---|---|---|---|---|");
  for (const [name, url, path] of formats) {
    for (const [label, channels] of windows) {
      const ms: number[] = [];
      let requests = 0;
      let bytes = 0;
      let nextRequests = 0;
      let nextBytes = 0;
      const again: number[] = [];
      for (let r = 0; r < 4; r++) {
        server.clear();
        const t = performance.now();
        const rec = await openRecording(url, { workers: 2 });
        const { data } = await rec.read({ start, stop: start + RATE, channels });
        const opened = performance.now() - t;
        if (data[0] !== rows[start * CHANNELS + (channels[0] as number)]) throw new Error(`${name}: wrong data`);
        const log = await server.log();
        requests = log.length;
        bytes = log.reduce((n, q) => n + q.bytes, 0);
        // the next window of the open recording, into the array of the last one (a viewer panning)
        server.clear();
        const t2 = performance.now();
        await rec.read({ start: start + RATE, stop: start + 2 * RATE, channels, out: data });
        if (r > 0) again.push(performance.now() - t2);
        const nextLog = await server.log();
        nextRequests = nextLog.length;
        nextBytes = nextLog.reduce((n, q) => n + q.bytes, 0);
        await rec.close();
        if (r > 0) ms.push(opened); // the first run warms up the workers
      }
      ms.sort((a, b) => a - b);
      again.sort((a, b) => a - b);
      const whole = sizeOf(path);
      results.push({
        format: name,
        window: label,
        ms: ms[1],
        nextMs: again[1],
        requests,
        bytes,
        nextRequests,
        nextBytes,
        wholeBytes: whole,
      });
      console.log(
        `| ${name} | ${(whole / 1e6).toFixed(1)} MB | ${label} | ${(ms[1] as number).toFixed(0)} | ${requests} | ${(bytes / 1e6).toFixed(2)} MB | ${(again[1] as number).toFixed(0)} | ${nextRequests} | ${(nextBytes / 1e6).toFixed(2)} MB |`,
      );
    }
  }
  writeResults("remote", { seconds: SECONDS, results });
} finally {
  await server.close();
  await closeWorkers();
  rmSync(dir, { recursive: true, force: true });
}
