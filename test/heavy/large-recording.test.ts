// A recording larger than 2 GiB (generated here, deleted afterwards) compresses with the built
// command into HDF5, verified, while the child process's peak memory stays bounded.
import { closeSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { neuropixelsLike } from "../../bench/neuropixels-like.js";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp.js";

const CHANNELS = 385;
const RATE = 30000;

/** Writes `seconds` of a 385-channel int16 recording: one generated second, shifted per second. */
function writeLargeRecording(path: string, seconds: number): void {
  const second = neuropixelsLike(CHANNELS, RATE, 11);
  const rows = new Int16Array(RATE * CHANNELS);
  const fd = openSync(path, "w");
  try {
    for (let k = 0; k < seconds; k++) {
      for (let c = 0; c < CHANNELS; c++)
        for (let s = 0; s < RATE; s++) rows[s * CHANNELS + c] = (second[c * RATE + s] as number) + ((k * 37 + c) % 50);
      writeSync(fd, rows);
    }
  } finally {
    closeSync(fd);
  }
}

test("2.1 GiB of int16 -> .h5: verified, peak memory under 1 GB", { timeout: 900_000 }, async () => {
  const dir = tempDir("flacarray-large-");
  const raw = join(dir, "large.bin");
  const seconds = Math.ceil(2 ** 31 / (RATE * CHANNELS * 2)) + 1; // 94 s, just over 2 GiB
  writeLargeRecording(raw, seconds);
  expect(statSync(raw).size).toBeGreaterThan(2 ** 31);
  const out = join(dir, "large.h5");
  const r = await runCli("flacarray", ["compress", raw, "-o", out, "-n", String(CHANNELS), "-s", String(RATE), "--workers", "2", "--json"]);
  rmSync(raw);
  expect(r.stderr).toBe("");
  const summary = JSON.parse(r.stdout);
  expect(summary).toMatchObject({ nSamples: seconds * RATE, nChannels: CHANNELS, verified: true });
  expect(summary.rawBytes).toBeGreaterThan(2 ** 31);
  expect(statSync(out).size).toBeLessThan(summary.rawBytes / 2);
  expect(summary.peakRssMB).toBeLessThan(1000);
  console.log(
    `large: ${(summary.rawBytes / 2 ** 30).toFixed(2)} GiB in ${summary.seconds.toFixed(1)} s, peak RSS ${summary.peakRssMB.toFixed(0)} MB, ratio ${summary.ratio.toFixed(3)}`,
  );
});
