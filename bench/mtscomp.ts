// mtscomp benchmark: the Neuropixels-like recording (interleaved int16, 30 kHz, 1 s chunks)
// compressed to .cbin/.ch and decompressed back to .bin by @flacarray/mtscomp with 1 and 2
// workers, next to Python running mtscomp's algorithm (numpy + zlib) in the same run.
// Results: bench/results/mtscomp.json.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compress, decompress } from "@flacarray/mtscomp/node";
import { neuropixelsLike } from "./neuropixels-like.js";
import { CHANNELS, rawMB, SAMPLES, timeAsync, writeResults } from "./setup.js";

const RATE = 30000;
const dir = mkdtempSync(join(tmpdir(), "flacarray-bench-mtscomp-"));
const raw = join(dir, "rec.bin");
{
  const channelMajor = neuropixelsLike(CHANNELS, SAMPLES, 42);
  const interleaved = new Int16Array(CHANNELS * SAMPLES);
  for (let c = 0; c < CHANNELS; c++)
    for (let s = 0; s < SAMPLES; s++) interleaved[s * CHANNELS + c] = channelMajor[c * SAMPLES + s] as number;
  writeFileSync(raw, interleaved);
}
const options = { sampleRate: RATE, nChannels: CHANNELS, dtype: "int16" as const, overwrite: true };

try {
  const ours: Record<string, number> = {};
  let cbinMB = 0;
  for (const workers of [1, 2]) {
    const cbin = join(dir, `rec-${workers}.cbin`);
    ours[`compress${workers}MBs`] = rawMB / (await timeAsync(() => compress(raw, cbin, undefined, { ...options, workers, check: false })));
    ours[`compressChecked${workers}MBs`] = rawMB / (await timeAsync(() => compress(raw, cbin, undefined, { ...options, workers })));
    cbinMB = statSync(cbin).size / 1e6;
    const reader = await decompress(cbin);
    ours[`decompressMemory${workers}MBs`] =
      rawMB /
      (await timeAsync(async () => {
        for await (const _ of reader.chunks({ concurrency: workers }));
      }));
    ours[`decompress${workers}MBs`] =
      rawMB / (await timeAsync(() => reader.toFile(join(dir, "out.bin"), { overwrite: true, concurrency: workers })));
    await reader.close();
  }
  // a 1 s x all-channel window from the middle, on a fresh reader each time (nothing cached)
  const windows: number[] = [];
  for (let i = 0; i < 5; i++) {
    const reader = await decompress(join(dir, "rec-2.cbin"));
    const t0 = Math.floor(SAMPLES / 2 / RATE) * RATE;
    windows.push((await timeAsync(() => reader.get([t0 + 15000, t0 + 45000]))) * 1000);
    await reader.close();
  }
  const windowMs = windows.sort((a, b) => a - b)[2] as number;

  let python: { compress_s: number; decompress_s: number; cbin_bytes: number } | undefined;
  try {
    const script = join(dirname(fileURLToPath(import.meta.url)), "mtscomp_reference.py");
    python = JSON.parse(execFileSync("python3", [script, raw, String(CHANNELS), String(RATE)], { encoding: "utf8" }));
  } catch (e) {
    console.log(`(Python reference skipped: ${(e as Error).message.split("\n")[0]})`);
  }

  const realTimeMBs = (CHANNELS * RATE * 2) / 1e6;
  const results = {
    ratio: rawMB / cbinMB,
    ...ours,
    window1sAllChannelsMs: windowMs,
    python: python && {
      ratio: (rawMB * 1e6) / python.cbin_bytes,
      compressMBs: rawMB / python.compress_s,
      decompressMBs: rawMB / python.decompress_s,
    },
  };
  console.log(
    `\n${SAMPLES} samples x ${CHANNELS} channels int16 (${rawMB.toFixed(1)} MB, ${(SAMPLES / RATE).toFixed(0)} s at 30 kHz), 1 s chunks\n`,
  );
  console.log("| | ratio | compress MB/s | compress + check MB/s | decompress in memory MB/s | decompress to .bin (hash-checked) MB/s |");
  console.log("|---|---|---|---|---|---|");
  for (const w of [1, 2]) {
    console.log(
      `| @flacarray/mtscomp, ${w} worker${w > 1 ? "s" : ""} | ${results.ratio.toFixed(3)} | ${ours[`compress${w}MBs`]?.toFixed(1)} | ${ours[`compressChecked${w}MBs`]?.toFixed(1)} | ${ours[`decompressMemory${w}MBs`]?.toFixed(1)} | ${ours[`decompress${w}MBs`]?.toFixed(1)} |`,
    );
  }
  if (results.python) {
    console.log(
      `| Python, mtscomp's algorithm (numpy + zlib), 1 thread | ${results.python.ratio.toFixed(3)} | ${results.python.compressMBs.toFixed(1)} | | ${results.python.decompressMBs.toFixed(1)} | |`,
    );
  }
  console.log(
    `\nreal time is ${realTimeMBs.toFixed(1)} MB/s; 1 s x ${CHANNELS} channels from the middle: ${windowMs.toFixed(1)} ms (median of 5)`,
  );
  writeResults("mtscomp", results);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
