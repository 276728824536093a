// Codec benchmark: compression ratio and single-thread MB/s of our FLAC codec next to the
// reference `flac` CLI (libFLAC), on the same fixed-seed Neuropixels-like streams, in the same run.
// MB/s count 2 bytes per sample (the recording's int16 size). Results: bench/results/codec.json.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { FlacArray, FlacDecoder, FlacEncoder } from "@flacarray/core";
import { neuropixelsLike } from "./neuropixels-like.js";
import { CHANNELS, rawMB, SAMPLES, time, writeResults } from "./setup.js";

const LEVELS = [1, 5, 8];

interface Row {
  codec: string;
  level: number;
  ratio: number;
  encodeMBs: number;
  decodeMBs: number;
}

function ours(data: Int32Array, level: number): Row {
  const enc = new FlacEncoder({ level });
  const streams: Uint8Array[] = [];
  enc.encode(data.subarray(0, SAMPLES), 1); // warm up the JIT on one stream
  const encodeSeconds = time(() => {
    for (let c = 0; c < CHANNELS; c++) streams.push(enc.encode(data.subarray(c * SAMPLES, (c + 1) * SAMPLES), 1));
  });
  const dec = new FlacDecoder();
  const out = new Int32Array(SAMPLES);
  dec.decode(streams[0], out);
  const decodeSeconds = time(() => {
    for (const s of streams) dec.decode(s, out);
  });
  const bytes = streams.reduce((a, s) => a + s.length, 0);
  return {
    codec: "flacarray-js",
    level,
    ratio: (CHANNELS * SAMPLES * 2) / bytes,
    encodeMBs: rawMB / encodeSeconds,
    decodeMBs: rawMB / decodeSeconds,
  };
}

function flacCli(dir: string, level: number): Row {
  const enc = join(dir, `enc${level}`);
  const dec = join(dir, `dec${level}`);
  mkdirSync(enc);
  mkdirSync(dec);
  const inputs = readdirSync(dir)
    .filter((f) => f.endsWith(".raw"))
    .map((f) => join(dir, f));
  const raw = ["--force-raw-format", "--endian=little", "--sign=signed"];
  const encodeSeconds = time(() =>
    execFileSync("flac", [
      `-${level}`,
      "-s",
      "-f",
      "--no-padding",
      "--no-seektable",
      ...raw,
      "--channels=1",
      "--bps=16",
      "--sample-rate=30000",
      `--output-prefix=${enc}/`,
      ...inputs,
    ]),
  );
  const outputs = readdirSync(enc).map((f) => join(enc, f));
  const bytes = outputs.reduce((a, f) => a + statSync(f).size, 0);
  const decodeSeconds = time(() =>
    execFileSync("flac", ["-d", "-s", "-f", ...raw, `--output-prefix=${dec}/`, ...outputs], { stdio: "ignore" }),
  );
  return {
    codec: "flac CLI (libFLAC)",
    level,
    ratio: (CHANNELS * SAMPLES * 2) / bytes,
    encodeMBs: rawMB / encodeSeconds,
    decodeMBs: rawMB / decodeSeconds,
  };
}

const data = neuropixelsLike(CHANNELS, SAMPLES, 42);
const haveFlac = spawnSync("flac", ["--version"]).status === 0;
const flacVersion = haveFlac ? execFileSync("flac", ["--version"]).toString().trim() : "not installed";
const workRoot = existsSync("/dev/shm") ? "/dev/shm" : tmpdir(); // keep the CLI's file I/O off the disk
const dir = mkdtempSync(join(workRoot, "flacarray-bench-"));
const rows: Row[] = [];
try {
  if (haveFlac) {
    for (let c = 0; c < CHANNELS; c++) {
      writeFileSync(join(dir, `ch${String(c).padStart(3, "0")}.raw`), Int16Array.from(data.subarray(c * SAMPLES, (c + 1) * SAMPLES)));
    }
  }
  for (const level of LEVELS) {
    rows.push(ours(data, level));
    if (haveFlac) rows.push(flacCli(dir, level));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const faSeconds = time(() => FlacArray.fromArray({ data, shape: [CHANNELS, SAMPLES] }, { level: 5 }));

console.log(
  `\n${CHANNELS} channels x ${SAMPLES} samples (int16 values), ${rawMB.toFixed(1)} MB; one thread; ${cpus()[0]?.model ?? ""}; node ${process.version}; ${flacVersion}\n`,
);
console.log("| codec | level | ratio | encode MB/s | decode MB/s |");
console.log("|---|---|---|---|---|");
for (const r of rows)
  console.log(`| ${r.codec} | ${r.level} | ${r.ratio.toFixed(4)} | ${r.encodeMBs.toFixed(1)} | ${r.decodeMBs.toFixed(1)} |`);
console.log(`\nFlacArray.fromArray (level 5, with verification): ${(rawMB / faSeconds).toFixed(1)} MB/s`);
for (const level of LEVELS) {
  const a = rows.find((r) => r.level === level && r.codec === "flacarray-js");
  const b = rows.find((r) => r.level === level && r.codec !== "flacarray-js");
  if (a && b) {
    console.log(
      `level ${level}: encode ${(a.encodeMBs / b.encodeMBs).toFixed(2)}x flac, decode ${(a.decodeMBs / b.decodeMBs).toFixed(2)}x flac, compressed size ${((b.ratio / a.ratio - 1) * 100).toFixed(2)}% vs flac's`,
    );
  }
}
writeResults("codec", { flacVersion, rows, flacArrayFromArrayMBs: rawMB / faSeconds });
