// The flacarray command on a recording: compress a raw int16 file into HDF5 (verified), describe
// it, and read a window of four channels back. With ../shared/realdata beside the checkout (a
// real tetrode recording), the same on it, with mtscomp's ratio for comparison.

import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeRawRecording } from "../test/helpers/recordings.js";

const dist = join(import.meta.dirname, "..", "packages", "cli", "dist");
/** Runs a built command (`pnpm run build` makes them) and returns what it printed. */
const run = (command: string, ...args: string[]) =>
  execFileSync(process.execPath, [join(dist, `${command}.mjs`), ...args], { encoding: "utf8" });

const dir = mkdtempSync(join(tmpdir(), "flacarray-example-"));
try {
  const raw = join(dir, "rec.bin");
  const rows = writeRawRecording(raw, 5 * 30000, 32); // 5 s, 32 channels, 30 kHz
  process.stdout.write(run("flacarray", "compress", raw, "-o", join(dir, "rec.h5"), "-n", "32", "-s", "30000"));
  process.stdout.write(run("flacarray", "info", join(dir, "rec.h5")));
  run(
    "flacarray",
    "decompress",
    join(dir, "rec.h5"),
    "-o",
    join(dir, "window.bin"),
    "--channels",
    "0:4",
    "--start",
    "1s",
    "--duration",
    "100ms",
  );
  const window = new Int16Array(new Uint8Array(readFileSync(join(dir, "window.bin"))).buffer);
  if (window.some((v, i) => v !== rows[(30000 + Math.floor(i / 4)) * 32 + (i % 4)])) throw new Error("the window differs from the input");
  console.log(`channels 0-3, 1.0-1.1 s: ${window.length / 4} samples each, equal to the input`);

  const locust = join(import.meta.dirname, "..", "..", "shared", "realdata", "tridesclous_locust", "locust_trial_01.raw");
  if (existsSync(locust)) {
    run("flacarray", "compress", locust, "-o", join(dir, "locust.h5"), "-n", "4", "-s", "15000");
    run("mtscomp", locust, join(dir, "locust.cbin"), join(dir, "locust.ch"), "-n", "4", "-s", "15000", "-d", "int16");
    const size = statSync(locust).size;
    const [ours, mtscomp] = [size / statSync(join(dir, "locust.h5")).size, size / statSync(join(dir, "locust.cbin")).size];
    console.log(
      `real tetrode recording (locust_trial_01.raw, 4 x 431548 int16): flacarray ratio ${ours.toFixed(3)}, mtscomp ${mtscomp.toFixed(3)} (${(ours / mtscomp).toFixed(2)}x)`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
