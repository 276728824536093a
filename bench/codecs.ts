// numcodecs benchmark (issue 14): our WavPack decoder next to libwavpack called in-process from
// C (bench/libwavpack-reference.c, linked against the system's libwavpack, configured as
// wavpack-numcodecs 0.2.3 configures it), on the same chunks in the same run, one thread; and
// the compression ratios of WavPack levels and hybrid rates, FLAC levels (flac-numcodecs'
// layout with 2-channel chunks, as the ephys compression paper ran it), flacarray and mtscomp on
// Neuropixels-like data and on the real recordings of ../shared/realdata. Chunks are 1 s of all
// channels (SpikeInterface's default). Every WavPack chunk our decoder reads is checked against
// libwavpack's own decode of it, lossy ones included. Results: bench/results/codecs.json.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { FlacArray } from "@flacarray/core";
import { compressArray } from "@flacarray/mtscomp";
import { decodeWavpack, FlacCodec } from "@flacarray/numcodecs";
import { openRecording } from "@flacarray/recording/node";
import { neuropixelsLike } from "./neuropixels-like.js";
import { median, writeResults } from "./setup.js";

const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);
const here = dirname(fileURLToPath(import.meta.url));
const REALDATA = join(here, "..", "..", "shared", "realdata");

/** A recording to compress: frame-interleaved int16. */
interface Dataset {
  name: string;
  channels: number;
  sampleRate: number;
  data: Int16Array;
}

/** WavPack settings of the table: wavpack-numcodecs' `level` and `bps` (0 = lossless). */
const WAVPACK = [
  { level: 1, bps: 0 },
  { level: 2, bps: 0 },
  { level: 3, bps: 0 },
  { level: 3, bps: 3 },
  { level: 3, bps: 2.25 },
];
const FLAC_LEVELS = [1, 5, 8];

/** The Neuropixels-like array of the other benchmarks, 384 channels x 2 s, interleaved. */
function neuropixelsDataset(): Dataset {
  const channels = 384;
  const frames = 60000;
  const byChannel = neuropixelsLike(channels, frames, 42);
  const data = new Int16Array(channels * frames);
  for (let c = 0; c < channels; c++) for (let f = 0; f < frames; f++) data[f * channels + c] = byChannel[c * frames + f] as number;
  return { name: "Neuropixels-like, 384 ch x 2 s", channels, sampleRate: 30000, data };
}

/** A real recording read with @flacarray/recording, or undefined when ../shared/realdata is absent. */
async function realDataset(name: string, path: string, stream?: string): Promise<Dataset | undefined> {
  if (!existsSync(path)) return undefined;
  const rec = await openRecording(path, { stream });
  const { data } = await rec.read();
  await rec.close();
  return { name, channels: rec.nChannels, sampleRate: rec.sampleRate ?? 30000, data: data as Int16Array };
}

/** The locust tetrode: raw interleaved int16, 4 channels at 15 kHz, no header. */
function locustDataset(): Dataset | undefined {
  const path = join(REALDATA, "tridesclous_locust", "locust_trial_01.raw");
  if (!existsSync(path)) return undefined;
  const bytes = readFileSync(path);
  return {
    name: "tetrode (locust), 4 ch x 28.8 s",
    channels: 4,
    sampleRate: 15000,
    data: new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2),
  };
}

/** Compiles the C reference; undefined (with the reason printed) where it cannot be built. */
function buildReference(dir: string): string | undefined {
  const binary = join(dir, "libwavpack-reference");
  const cc = spawnSync("cc", ["-O2", "-o", binary, join(here, "libwavpack-reference.c"), "-lwavpack"], { encoding: "utf8" });
  if (cc.status === 0) return binary;
  console.log(
    `libwavpack reference skipped: cannot build it (install libwavpack-dev): ${(cc.stderr || String(cc.error)).trim().split("\n")[0]}`,
  );
  return undefined;
}

/** One WavPack setting on one dataset: sizes, and both decoders' speeds. */
interface WavpackRow {
  level: number;
  bps: number;
  ratio: number;
  encodeMBs: number;
  referenceDecodeMBs: number;
  oursDecodeMBs: number;
  version: string;
}

function runWavpack(binary: string, set: Dataset, level: number, bps: number, repeats: number, dir: string): WavpackRow {
  const frames = set.data.length / set.channels;
  const input = join(dir, "input.i16");
  const chunksOut = join(dir, "chunks.wv");
  const decodedOut = join(dir, "decoded.i16");
  writeFileSync(input, set.data);
  const chunkFrames = Math.min(set.sampleRate, frames);
  const args = [input, frames, set.channels, chunkFrames, level, bps, repeats, chunksOut, decodedOut].map(String);
  const result = JSON.parse(execFileSync(binary, args, { encoding: "utf8" }));
  if (bps === 0 && !result.exact) throw new Error(`libwavpack level ${level}: its lossless decode differs from the input`);
  const all = new Uint8Array(readFileSync(chunksOut));
  const chunks: Uint8Array[] = [];
  let at = 0;
  for (const n of result.sizes as number[]) {
    chunks.push(all.subarray(at, at + n));
    at += n;
  }
  const theirs = new Int16Array(new Uint8Array(readFileSync(decodedOut)).buffer);
  const ours = new Int16Array(set.data.length);
  const seconds: number[] = [];
  for (let r = 0; r <= repeats; r++) {
    const t = performance.now();
    let offset = 0;
    for (const chunk of chunks) {
      const { samples } = decodeWavpack(chunk);
      for (let i = 0; i < samples.length; i++) ours[offset + i] = samples[i] as number;
      offset += samples.length;
    }
    if (r > 0) seconds.push((performance.now() - t) / 1000); // the first run warms up the JIT
  }
  for (let i = 0; i < theirs.length; i++)
    if (ours[i] !== theirs[i]) throw new Error(`level ${level} bps ${bps}: our decode differs from libwavpack's at sample ${i}`);
  const mb = set.data.byteLength / 1e6;
  return {
    level,
    bps,
    ratio: set.data.byteLength / at,
    encodeMBs: mb / result.encodeSeconds,
    referenceDecodeMBs: mb / median(result.decodeSeconds),
    oursDecodeMBs: mb / median(seconds),
    version: result.version,
  };
}

/** flac-numcodecs' chunks of 1 s x 2 channels (the paper's best FLAC layout): ratio of our encoder at `level`. */
function flacRatio(set: Dataset, level: number): number {
  const frames = set.data.length / set.channels;
  const chunkFrames = Math.min(set.sampleRate, frames);
  const codec = new FlacCodec({ id: "flac", level });
  let bytes = 0;
  for (let c0 = 0; c0 < set.channels; c0 += 2) {
    const width = Math.min(2, set.channels - c0);
    for (let f0 = 0; f0 < frames; f0 += chunkFrames) {
      const rows = Math.min(chunkFrames, frames - f0);
      const chunk = new Int16Array(rows * width);
      for (let r = 0; r < rows; r++)
        for (let w = 0; w < width; w++) chunk[r * width + w] = set.data[(f0 + r) * set.channels + c0 + w] as number;
      bytes += codec.encode(chunk, [rows, width]).length;
    }
  }
  return set.data.byteLength / bytes;
}

/** flacarray's layout: one FLAC stream per channel, level 5. */
function flacarrayRatio(set: Dataset): number {
  const frames = set.data.length / set.channels;
  const byChannel = new Int32Array(set.data.length);
  for (let f = 0; f < frames; f++)
    for (let c = 0; c < set.channels; c++) byChannel[c * frames + f] = set.data[f * set.channels + c] as number;
  const fa = FlacArray.fromArray({ data: byChannel, shape: [set.channels, frames] }, { level: 5 });
  return set.data.byteLength / fa.compressed.length;
}

async function mtscompRatio(set: Dataset): Promise<number> {
  const frames = set.data.length / set.channels;
  const { cbin } = await compressArray(set.data, [frames, set.channels], { sampleRate: set.sampleRate, check: false });
  return set.data.byteLength / cbin.length;
}

const datasets = [
  neuropixelsDataset(),
  await realDataset(
    "Neuropixels Ultra AP (SpikeGLX), 385 ch x 0.17 s",
    join(REALDATA, "neuropixels", "spikeglx_np_ultra_stub", "p5_g0_t0.imec0.ap.bin"),
  ),
  await realDataset("Neuropixels 1.0 LFP (Open Ephys), 384 ch x 1 s", join(REALDATA, "neuropixels", "openephys_np1_lfp_1s"), "116.1"),
  locustDataset(),
  await realDataset("stereotrodes (Open Ephys legacy), 16 ch x 3.3 s", join(REALDATA, "openephys_example_data")),
].filter((d): d is Dataset => d !== undefined);
if (datasets.length === 1) console.log(`real recordings skipped: ${REALDATA} is absent`);

const dir = mkdtempSync(join(tmpdir(), "flacarray-bench-codecs-"));
const results: Record<string, unknown>[] = [];
try {
  const binary = buildReference(dir);
  const lines: string[] = [];
  const speedLines: string[] = [];
  for (const [index, set] of datasets.entries()) {
    const wavpack = binary ? WAVPACK.map(({ level, bps }) => runWavpack(binary, set, level, bps, index === 0 ? REPEATS : 1, dir)) : [];
    const flac = FLAC_LEVELS.map((level) => flacRatio(set, level));
    const row = { dataset: set.name, wavpack, flac, flacarray: flacarrayRatio(set), mtscomp: await mtscompRatio(set) };
    results.push(row);
    const cell = (w: WavpackRow | undefined) => (w ? w.ratio.toFixed(2) : "-");
    lines.push(
      `| ${set.name} | ${wavpack.slice(0, 3).map(cell).join(" | ")} | ${cell(wavpack[3])} | ${cell(wavpack[4])} | ${flac.map((r) => r.toFixed(2)).join(" | ")} | ${row.flacarray.toFixed(2)} | ${row.mtscomp.toFixed(2)} |`,
    );
    if (index === 0)
      for (const w of wavpack)
        speedLines.push(
          `| level ${w.level}${w.bps ? `, hybrid ${w.bps} bps` : ", lossless"} | ${w.oursDecodeMBs.toFixed(0)} | ${w.referenceDecodeMBs.toFixed(0)} | ${(w.oursDecodeMBs / w.referenceDecodeMBs).toFixed(2)}x |`,
        );
  }
  const version = (results[0]?.wavpack as WavpackRow[] | undefined)?.[0]?.version ?? "not built";
  console.log(
    `\nWavPack decode, ${datasets[0]?.name}, 1 s chunks, one thread, median of ${REPEATS}; MB/s of int16 samples; ${cpus()[0]?.model ?? ""}; node ${process.version}; reference: libwavpack ${version}, in-process (bench/libwavpack-reference.c)\n`,
  );
  console.log("| chunks | ours MB/s | libwavpack MB/s | ours / libwavpack |\n|---|---|---|---|");
  for (const line of speedLines) console.log(line);
  console.log("\nCompression ratios (raw int16 bytes / compressed bytes), 1 s chunks of all channels (FLAC: of 2 channels)\n");
  console.log(
    "| recording | WavPack L1 | WavPack L2 | WavPack L3 | WavPack L3 hybrid 3 bps | WavPack L3 hybrid 2.25 bps | FLAC L1 | FLAC L5 | FLAC L8 | flacarray L5 | mtscomp |\n|---|---|---|---|---|---|---|---|---|---|---|",
  );
  for (const line of lines) console.log(line);
  console.log("| paper (Buccino et al. 2023), NP1 / NP2 | | | 3.59 (NP1, lossless) | | 7.08 (NP1) / 7.04 (NP2), hybrid | | | | | |");
  writeResults("codecs", { repeats: REPEATS, libwavpack: version, datasets: results });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
