// Codec benchmark: our FLAC codec next to libFLAC called in-process from C (bench/libflac-reference.c,
// linked against the system's libFLAC, with Python flacarray's settings: 32-bit mono streams,
// blocksize 0, total_samples 0), on the same fixed-seed Neuropixels-like streams, in the same
// run, one thread. Each time is the median of BENCH_REPEATS runs (default 3). MB/s count 2 bytes
// per sample (the recording's int16 size). Results: bench/results/codec.json.
//
// Our decoder is timed on our own streams and on libFLAC's (what Python flacarray writes), and
// the FlacArray calls users make (fromArray with its verification, toArray, and their async
// versions on 1 worker and on one per core) are timed too, next to what one thread per core
// running the synchronous calls independently gives (bench/independent-threads.ts), and next to
// Python flacarray's own calls (bench/python_flacarray_reference.py, one thread and with OpenMP
// threads) where BENCH_PYTHON (default python3) can import flacarray.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { FlacArray, FlacDecoder, FlacEncoder } from "@flacarray/core";
import { againstRawDecoder, printAgainstRawDecoder } from "./against-raw-decoder.js";
import type { ArrayCall } from "./array-call.js";
import { independentThreadsMBs } from "./independent-threads.js";
import { neuropixelsLike } from "./neuropixels-like.js";
import { CHANNELS, median, rawMB, SAMPLES, time, writeResults } from "./setup.js";

const LEVELS = [1, 5, 8];
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);

/** Median seconds of `REPEATS` runs of `fn`, after one untimed run to warm up the JIT. */
function medianTime(fn: () => void): number {
  fn();
  return median(Array.from({ length: REPEATS }, () => time(fn)));
}

/** The Python that runs Python flacarray's calls (it must import flacarray). */
const PYTHON = process.env.BENCH_PYTHON ?? "python3";

/** MB/s of one of the calls users make, timed in a process of its own (see array-call.ts). */
function arrayCallMBs(call: ArrayCall, workers = 1): number {
  const script = join(dirname(fileURLToPath(import.meta.url)), "array-call.ts");
  const output = execFileSync(process.execPath, ["--import", "tsx", script, call, String(workers)], { encoding: "utf8" });
  return (JSON.parse(output) as { MBs: number }).MBs;
}

/** What a Python flacarray call gave, timed in a process of its own (python_flacarray_reference.py). */
interface PythonCall {
  version: string;
  threads: number;
  MBs: number;
}

/**
 * MB/s of Python flacarray's `from_array` or `to_array` (level 5) on the array in `input`, one
 * thread or with OpenMP threads; undefined where Python flacarray cannot run (the reason printed once).
 */
function pythonCall(input: string, call: "from_array" | "to_array", threaded: boolean): PythonCall | undefined {
  if (pythonSkipped) return undefined;
  const script = join(dirname(fileURLToPath(import.meta.url)), "python_flacarray_reference.py");
  const args = [script, input, String(CHANNELS), String(SAMPLES), call, threaded ? "1" : "0", String(REPEATS)];
  // one thread needs OMP_NUM_THREADS=1 (see python_flacarray_reference.py)
  const env = threaded ? process.env : { ...process.env, OMP_NUM_THREADS: "1" };
  const run = spawnSync(PYTHON, args, { encoding: "utf8", env, timeout: PYTHON_TIMEOUT_MS });
  let result: { version: string; threads: number; seconds: number[] } | undefined;
  try {
    if (run.status === 0) result = JSON.parse(run.stdout);
  } catch {}
  if (!result || !Array.isArray(result.seconds) || result.seconds.length === 0) {
    const why =
      run.status === 0 ? `it printed ${JSON.stringify(run.stdout.slice(0, 200))}, not its JSON line` : run.stderr || String(run.error);
    pythonSkipped = why.trim().split("\n").at(-1) ?? "";
    console.log(`Python flacarray reference skipped (${PYTHON}; set BENCH_PYTHON to choose another): ${pythonSkipped}`);
    return undefined;
  }
  return { version: result.version, threads: result.threads, MBs: rawMB / median(result.seconds) };
}
/** A Python call that takes longer is stopped, and the reference skipped (a whole call takes seconds). */
const PYTHON_TIMEOUT_MS = 10 * 60_000;
let pythonSkipped: string | undefined;

/** Rounds of each of the calls users make, ours and Python's taking turns. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** One of our calls and Python flacarray's counterpart (where it runs), as MB/s. */
interface PairedCall {
  /** Median over rounds. */
  ours: number;
  /** Median over rounds. */
  python?: PythonCall;
  /** Median over rounds of each round's ours / Python. */
  ratio?: number;
}

/**
 * Times our call and Python's counterpart `ROUNDS` times each, taking turns (who goes first
 * alternates), so that a slow spell of a shared machine falls on both.
 */
function paired(ours: () => number, python: () => PythonCall | undefined): PairedCall {
  const mine: number[] = [];
  const theirs: PythonCall[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const first = round % 2 === 0 ? ours() : undefined;
    const other = python();
    const mb = first ?? ours();
    mine.push(mb);
    if (other) theirs.push(other);
  }
  if (theirs.length < mine.length) return { ours: median(mine) };
  const python0 = theirs[0] as PythonCall;
  return {
    ours: median(mine),
    python: { ...python0, MBs: median(theirs.map((p) => p.MBs)) },
    ratio: median(mine.map((mb, i) => mb / (theirs[i] as PythonCall).MBs)),
  };
}

/** What libFLAC did with one level's streams, timed in C. */
interface Reference {
  version: string;
  streams: Uint8Array[];
  encodeSeconds: number;
  decodeSeconds: number;
}

/** Compiles the C reference; undefined (with the reason printed) where it cannot be built. */
function buildReference(dir: string): string | undefined {
  const source = join(dirname(fileURLToPath(import.meta.url)), "libflac-reference.c");
  const binary = join(dir, "libflac-reference");
  const cc = spawnSync("cc", ["-O2", "-o", binary, source, "-lFLAC"], { encoding: "utf8" });
  if (cc.status === 0) return binary;
  console.log(`libFLAC reference skipped: cannot build it (install libflac-dev): ${(cc.stderr || String(cc.error)).trim().split("\n")[0]}`);
  return undefined;
}

function runReference(binary: string, input: string, level: number, dir: string): Reference {
  const out = join(dir, `libflac-${level}.streams`);
  const result = JSON.parse(
    execFileSync(binary, [input, String(CHANNELS), String(SAMPLES), String(level), String(REPEATS), out], { encoding: "utf8" }),
  );
  if (!result.equal) throw new Error(`libFLAC level ${level}: its decode differs from the input`);
  const all = new Uint8Array(readFileSync(out));
  const streams: Uint8Array[] = [];
  let at = 0;
  for (const n of result.streamBytes as number[]) {
    streams.push(all.subarray(at, at + n));
    at += n;
  }
  return { version: result.version, streams, encodeSeconds: median(result.encodeSeconds), decodeSeconds: median(result.decodeSeconds) };
}

/** One level's numbers, as MB/s and compression ratios. */
interface Row {
  level: number;
  ratio: number;
  encodeMBs: number;
  decodeMBs: number;
  /** Our decoder with its TypeScript kernel (where WebAssembly cannot run), on our streams. */
  decodeTypescriptMBs: number;
  /** Our decoder on libFLAC's 32-bit streams (Python flacarray's). */
  decodeLibflacStreamsMBs?: number;
  reference?: { ratio: number; encodeMBs: number; decodeMBs: number };
}

// The calls users make, one thread and on workers (one, and one per core), each in a process of
// its own, first: the memory this process holds later slows the first touch of fresh memory in
// others (on this VM, toArrayAsync on 2 workers: 330-350 MB/s beside a process holding 3 GB, 503-517 alone).
// Each runs in ROUNDS processes, taking turns with Python flacarray's counterpart (see paired).
const dir = mkdtempSync(join(tmpdir(), "flacarray-bench-codec-"));
const input = join(dir, "input.i32");
execFileSync(process.execPath, ["--import", "tsx", join(dirname(fileURLToPath(import.meta.url)), "array-file.ts"), input]);
const cores = availableParallelism();
const calls = {
  fromArray: paired(
    () => arrayCallMBs("fromArray"),
    () => pythonCall(input, "from_array", false),
  ),
  toArray: paired(
    () => arrayCallMBs("toArray"),
    () => pythonCall(input, "to_array", false),
  ),
  fromArrayAsync: paired(
    () => arrayCallMBs("fromArrayAsync", cores),
    () => pythonCall(input, "from_array", true),
  ),
  toArrayAsync: paired(
    () => arrayCallMBs("toArrayAsync", cores),
    () => pythonCall(input, "to_array", true),
  ),
};
const processes = { fromArrayMBs: calls.fromArray.ours, toArrayMBs: calls.toArray.ours };
const parallel = [...new Set([1, cores])].map((workers) =>
  workers === cores
    ? { workers, fromArrayAsyncMBs: calls.fromArrayAsync.ours, toArrayAsyncMBs: calls.toArrayAsync.ours }
    : { workers, fromArrayAsyncMBs: arrayCallMBs("fromArrayAsync", workers), toArrayAsyncMBs: arrayCallMBs("toArrayAsync", workers) },
);

const data = neuropixelsLike(CHANNELS, SAMPLES, 42);
const channel = (c: number) => data.subarray(c * SAMPLES, (c + 1) * SAMPLES);
const rawBytes = CHANNELS * SAMPLES * 2;
const bytesOf = (streams: Uint8Array[]) => streams.reduce((n, s) => n + s.length, 0);
const out = new Int32Array(SAMPLES);
const decoder = new FlacDecoder();
const typescriptDecoder = new FlacDecoder({ kernel: "typescript" });
const decodeAll =
  (streams: Uint8Array[], dec = decoder) =>
  () => {
    for (const s of streams) dec.decode(s, out, { totalSamples: SAMPLES });
  };

const rows: Row[] = [];
let version = "not built";
try {
  const binary = buildReference(dir);
  for (const level of LEVELS) {
    const encoder = new FlacEncoder({ level });
    let streams: Uint8Array[] = [];
    const encodeSeconds = medianTime(() => {
      streams = Array.from({ length: CHANNELS }, (_, c) => encoder.encode(channel(c), 1));
    });
    const row: Row = {
      level,
      ratio: rawBytes / bytesOf(streams),
      encodeMBs: rawMB / encodeSeconds,
      decodeMBs: rawMB / medianTime(decodeAll(streams)),
      decodeTypescriptMBs: rawMB / medianTime(decodeAll(streams, typescriptDecoder)),
    };
    if (binary) {
      const ref = runReference(binary, input, level, dir);
      version = ref.version;
      row.decodeLibflacStreamsMBs = rawMB / medianTime(decodeAll(ref.streams));
      row.reference = {
        ratio: rawBytes / bytesOf(ref.streams),
        encodeMBs: rawMB / ref.encodeSeconds,
        decodeMBs: rawMB / ref.decodeSeconds,
      };
    }
    rows.push(row);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// the calls users make, at level 5
const arr = { data, shape: [CHANNELS, SAMPLES] };
let fa: FlacArray | undefined;
const fromArrayMBs =
  rawMB /
  medianTime(() => {
    fa = FlacArray.fromArray(arr, { level: 5 });
  });
const fromArrayUnverifiedMBs = rawMB / medianTime(() => FlacArray.fromArray(arr, { level: 5, verify: false }));
const toArrayMBs = rawMB / medianTime(() => (fa as FlacArray).toArray());

// the ceiling: one thread per core, each running the synchronous call on its own copy, all at once
const ceiling = {
  threads: cores,
  fromArrayMBs: await independentThreadsMBs(data, [CHANNELS, SAMPLES], rawMB, "fromArray", cores, REPEATS),
  toArrayMBs: await independentThreadsMBs(data, [CHANNELS, SAMPLES], rawMB, "toArray", cores, REPEATS),
};

// toArray against the raw decoder, each in a process of its own: with Node's default memory, and
// with glibc's huge pages (a fresh result's first touch costs 4 KiB page faults otherwise)
const toArrayRuns = againstRawDecoder(["toArray"]);

const x = (a: number, b: number | undefined) => (b ? `${(a / b).toFixed(2)}x` : "–");
const f = (v: number | undefined) => (v === undefined ? "–" : v.toFixed(1));
console.log(
  `\n${CHANNELS} channels x ${SAMPLES} samples (int16 values as int32), ${rawMB.toFixed(1)} MB; one thread; median of ${REPEATS}; ${cpus()[0]?.model ?? ""}; node ${process.version}; reference: ${version}, in-process (bench/libflac-reference.c); our decoder's kernel: ${decoder.kernel}\n`,
);
console.log(
  "| level | ratio ours / libFLAC | encode MB/s ours / libFLAC | decode MB/s: ours on our streams / ours on libFLAC's / libFLAC on its own | decode MB/s, TypeScript kernel |",
);
console.log("|---|---|---|---|---|");
for (const r of rows) {
  const ref = r.reference;
  console.log(
    `| ${r.level} | ${r.ratio.toFixed(4)} / ${ref ? ref.ratio.toFixed(4) : "–"} | ${f(r.encodeMBs)} / ${f(ref?.encodeMBs)} (${x(r.encodeMBs, ref?.encodeMBs)}) | ${f(r.decodeMBs)} (${x(r.decodeMBs, ref?.decodeMBs)}) / ${f(r.decodeLibflacStreamsMBs)} (${x(r.decodeLibflacStreamsMBs ?? 0, ref?.decodeMBs)}) / ${f(ref?.decodeMBs)} | ${f(r.decodeTypescriptMBs)} (${x(r.decodeTypescriptMBs, ref?.decodeMBs)}) |`,
  );
}
const ref5 = rows.find((r) => r.level === 5)?.reference;
console.log(`\nFlacArray.fromArray, level 5, verified: ${f(fromArrayMBs)} MB/s (${x(fromArrayMBs, ref5?.encodeMBs)} libFLAC's encode)`);
console.log(
  `FlacArray.fromArray, level 5, verify: false: ${f(fromArrayUnverifiedMBs)} MB/s (${x(fromArrayUnverifiedMBs, ref5?.encodeMBs)})`,
);
console.log(`FlacArray.toArray, level 5: ${f(toArrayMBs)} MB/s (${x(toArrayMBs, ref5?.decodeMBs)} libFLAC's decode)`);
printAgainstRawDecoder("toArray and the raw decoder (FlacDecoder into one reused buffer), level 5", "toArray", toArrayRuns);
console.log(
  `\nEach call in a process of its own (median of ${ROUNDS}): fromArray (verified) ${f(processes.fromArrayMBs)} MB/s, toArray ${f(processes.toArrayMBs)} MB/s`,
);
for (const p of parallel) {
  console.log(
    `${p.workers} worker${p.workers > 1 ? "s" : ""}: fromArrayAsync (verified) ${f(p.fromArrayAsyncMBs)} MB/s (${x(p.fromArrayAsyncMBs, processes.fromArrayMBs)} fromArray), toArrayAsync ${f(p.toArrayAsyncMBs)} MB/s (${x(p.toArrayAsyncMBs, processes.toArrayMBs)} toArray)`,
  );
}
console.log(
  `${ceiling.threads} independent threads (fromArray or toArray each, on its own copy, all at once): ${f(ceiling.fromArrayMBs)} MB/s (${x(ceiling.fromArrayMBs, processes.fromArrayMBs)} fromArray) and ${f(ceiling.toArrayMBs)} MB/s (${x(ceiling.toArrayMBs, processes.toArrayMBs)} toArray): the most the workers could give in this run`,
);
const py = [calls.fromArray, calls.toArray, calls.fromArrayAsync, calls.toArrayAsync].map((c) => c.python);
if (py.every((p) => p !== undefined)) {
  const threads = calls.fromArrayAsync.python?.threads;
  const row = (name: string, one: PairedCall, many: PairedCall) =>
    `| ${name} | ${f(one.python?.MBs)} | ${f(one.ours)} | ${x(one.ratio ?? 0, 1)} | ${f(many.python?.MBs)} | ${f(many.ours)} | ${x(many.ratio ?? 0, 1)} |`;
  console.log(
    `\nPython flacarray ${calls.fromArray.python?.version} (${PYTHON}) on the same array, level 5, each call in a process of its own, ours and Python's taking turns; medians of ${ROUNDS} rounds, and of each round's ratio\n`,
  );
  console.log(
    `| call | Python, 1 thread | ours, 1 thread | ours / Python | Python, use_threads (${threads} OpenMP threads) | ours, ${cores} workers | ours / Python |\n|---|---|---|---|---|---|---|`,
  );
  console.log(row("compress: from_array / fromArray (ours verified)", calls.fromArray, calls.fromArrayAsync));
  console.log(row("decompress: to_array / toArray", calls.toArray, calls.toArrayAsync));
}
writeResults("codec", {
  calls,
  ceiling,
  reference: version,
  kernel: decoder.kernel,
  repeats: REPEATS,
  rows,
  fromArrayMBs,
  fromArrayUnverifiedMBs,
  toArrayMBs,
  toArrayRuns,
  processes,
  parallel,
});
