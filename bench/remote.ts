// Remote windows: one Neuropixels-like recording (385 channels, BENCH_REMOTE_SECONDS s at 30 kHz,
// default 20) in each format, served over loopback HTTP by another process, opened with
// @flacarray/recording and read as 1 s x 10-channel and 1 s x 385-channel windows from the middle,
// on 2 workers, through the Node entry (`@flacarray/recording/node`: node:zlib for mtscomp, HDF5
// opened by a rehearsal on a worker thread). Each read opens the URL afresh, as a page or service
// that is handed a URL does: ms (median of 3; every format once in each repetition), requests and
// bytes fetched count the opening too, against the size of the whole file. "Next window" is the
// following second read from the open recording into the array of the first (`out`), as a viewer
// panning does. "x fastest" compares each with the fastest format's time for the same window in
// the same repetition.
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
import { median, writeResults } from "./setup.js";

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
const REPEATS = 3;

/** One format and window: its times per repetition, and what the last repetition fetched. */
interface Case {
  name: string;
  url: string;
  path: string;
  label: string;
  channels: number[];
  ms: number[];
  nextMs: number[];
  requests: number;
  bytes: number;
  nextRequests: number;
  nextBytes: number;
}

/** Opens the recording, reads the window, then the next one into the same array; logs what was fetched. */
async function measure(c: Case, timed: boolean): Promise<void> {
  server.clear();
  const t = performance.now();
  const rec = await openRecording(c.url, { workers: 2 });
  const { data } = await rec.read({ start, stop: start + RATE, channels: c.channels });
  const opened = performance.now() - t;
  if (data[0] !== rows[start * CHANNELS + (c.channels[0] as number)]) throw new Error(`${c.name}: wrong data`);
  const log = await server.log();
  c.requests = log.length;
  c.bytes = log.reduce((n, q) => n + q.bytes, 0);
  // the next window of the open recording, into the array of the last one (a viewer panning)
  server.clear();
  const t2 = performance.now();
  await rec.read({ start: start + RATE, stop: start + 2 * RATE, channels: c.channels, out: data });
  const next = performance.now() - t2;
  const nextLog = await server.log();
  c.nextRequests = nextLog.length;
  c.nextBytes = nextLog.reduce((n, q) => n + q.bytes, 0);
  await rec.close();
  if (timed) {
    c.ms.push(opened);
    c.nextMs.push(next);
  }
}

/** For each repetition, `c`'s time over the fastest format's for the same window in that repetition; the median of those. */
function timesFastest(c: Case, cases: Case[], key: "ms" | "nextMs"): number {
  const same = cases.filter((o) => o.label === c.label);
  return median(c[key].map((t, r) => t / Math.min(...same.map((o) => o[key][r] as number))));
}

const results: Record<string, unknown>[] = [];
try {
  const cases: Case[] = formats.flatMap(([name, url, path]) =>
    windows.map(([label, channels]) => ({
      name,
      url,
      path,
      label,
      channels,
      ms: [],
      nextMs: [],
      requests: 0,
      bytes: 0,
      nextRequests: 0,
      nextBytes: 0,
    })),
  );
  // every case once in each repetition, so that a change of the machine's speed during the run
  // (two-core cloud machines slow down for seconds at a time) falls on all formats alike; the
  // first repetition warms up the workers and is not timed
  for (let r = 0; r <= REPEATS; r++) for (const c of cases) await measure(c, r > 0);
  console.log(
    `\n${CHANNELS} channels x ${SECONDS} s at ${RATE} Hz over loopback HTTP; windows from the middle; 2 workers; medians of ${REPEATS}, every format once in each repetition; "x fastest": the median over repetitions of the time over the fastest format's for the same window in the same repetition\n`,
  );
  console.log(
    "| format | whole file | window | open + read, ms | x fastest | requests | bytes fetched | next window, ms | x fastest | requests | bytes fetched |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|---|");
  for (const c of cases) {
    const whole = sizeOf(c.path);
    const [ms, nextMs] = [median(c.ms), median(c.nextMs)];
    const [x, nextX] = [timesFastest(c, cases, "ms"), timesFastest(c, cases, "nextMs")];
    results.push({
      format: c.name,
      window: c.label,
      ms,
      nextMs,
      timesFastest: x,
      nextTimesFastest: nextX,
      requests: c.requests,
      bytes: c.bytes,
      nextRequests: c.nextRequests,
      nextBytes: c.nextBytes,
      wholeBytes: whole,
    });
    console.log(
      `| ${c.name} | ${(whole / 1e6).toFixed(1)} MB | ${c.label} | ${ms.toFixed(0)} | ${x.toFixed(2)}x | ${c.requests} | ${(c.bytes / 1e6).toFixed(2)} MB | ${nextMs.toFixed(0)} | ${nextX.toFixed(2)}x | ${c.nextRequests} | ${(c.nextBytes / 1e6).toFixed(2)} MB |`,
    );
  }
  writeResults("remote", { seconds: SECONDS, results });
} finally {
  await server.close();
  await closeWorkers();
  rmSync(dir, { recursive: true, force: true });
}
