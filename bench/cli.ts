// Whole-command benchmark: the installed `flacarray` command (its bin, a child process, as a user
// runs it; on Linux the bin runs the command with huge pages for malloc, see bin/launch.mjs)
// compressing a 60 s, 385-channel int16 recording at level 5 with 1 and 2 workers (verified, as
// by default), decompressing it, and a 1 s x 385-channel window read in-process; next to
// `mtscomp` (ours, and Python's algorithm in the same run). Results: bench/results/cli.json.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { closeWorkers } from "@flacarray/core";
import { openRecording } from "@flacarray/recording/node";
import { writeNeuropixelsBin } from "./raw-recording.js";
import { median, writeResults } from "./setup.js";

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, "..", "packages", "cli", "bin");
const [CHANNELS, RATE, SECONDS] = [385, 30000, Number(process.env.BENCH_SECONDS ?? 60)];
const realTimeMBs = (CHANNELS * RATE * 2) / 1e6;
const dir = mkdtempSync(join(tmpdir(), "flacarray-bench-cli-"));
const raw = join(dir, "rec.bin");
const rawMB = (SECONDS * RATE * CHANNELS * 2) / 1e6;

writeNeuropixelsBin(raw, SECONDS, CHANNELS, RATE);

/** Seconds an installed command takes, start to exit. */
function run(command: string, args: string[]): number {
  const t = performance.now();
  execFileSync(process.execPath, [join(bin, `${command}.mjs`), ...args], { stdio: ["ignore", "ignore", "inherit"] });
  return (performance.now() - t) / 1000;
}

try {
  const rows: { tool: string; ratio: number; compressMBs: number; decompressMBs: number }[] = [];
  const meta = ["-n", String(CHANNELS), "-s", String(RATE)];
  for (const workers of [1, 2]) {
    const out = join(dir, `rec-${workers}.h5`);
    const compress = run("flacarray", ["compress", raw, "-o", out, ...meta, "--workers", String(workers), "--force"]);
    const decompress = run("flacarray", ["decompress", out, "-o", join(dir, "back.bin"), "--workers", String(workers), "--force"]);
    rows.push({
      tool: `flacarray (.h5), level 5, ${workers} worker${workers > 1 ? "s" : ""}, verified`,
      ratio: rawMB / (statSync(out).size / 1e6),
      compressMBs: rawMB / compress,
      decompressMBs: rawMB / decompress,
    });
  }
  {
    const out = join(dir, "rec.zarr");
    const compress = run("flacarray", ["compress", raw, "-o", out, ...meta, "--workers", "2", "--force", "--json"]);
    const decompress = run("flacarray", ["decompress", out, "-o", join(dir, "back.bin"), "--workers", "2", "--force"]);
    const zarrBytes = Number(execFileSync("du", ["-sb", out], { encoding: "utf8" }).split("\t")[0]);
    rows.push({
      tool: "flacarray (.zarr), level 5, 2 workers, verified",
      ratio: rawMB / (zarrBytes / 1e6),
      compressMBs: rawMB / compress,
      decompressMBs: rawMB / decompress,
    });
  }
  for (const workers of [1, 2]) {
    const cbin = join(dir, `rec-${workers}.cbin`);
    const compress = run("mtscomp", [raw, cbin, cbin.replace(/\.cbin$/, ".ch"), "-d", "int16", ...meta, "-p", String(workers), "-f"]);
    const decompress = run("mtsdecomp", [cbin, "-o", join(dir, "back.bin"), "-p", String(workers), "-f"]);
    rows.push({
      tool: `mtscomp (ours), ${workers} worker${workers > 1 ? "s" : ""}, checked`,
      ratio: rawMB / (statSync(cbin).size / 1e6),
      compressMBs: rawMB / compress,
      decompressMBs: rawMB / decompress,
    });
  }
  try {
    const py = JSON.parse(
      execFileSync("python3", [join(here, "mtscomp_reference.py"), raw, String(CHANNELS), String(RATE)], { encoding: "utf8" }),
    );
    rows.push({
      tool: "Python, mtscomp's algorithm (numpy + zlib), 1 thread, in memory",
      ratio: (rawMB * 1e6) / py.cbin_bytes,
      compressMBs: rawMB / py.compress_s,
      decompressMBs: rawMB / py.decompress_s,
    });
  } catch (e) {
    console.log(`(Python reference skipped: ${(e as Error).message.split("\n")[0]})`);
  }

  // a 1 s x 385-channel window from the middle, read in-process with @flacarray/recording
  // (medians of 6, after one warm-up), on this thread and on 2 workers
  const all = Array.from({ length: CHANNELS }, (_, c) => c);
  const middle = Math.floor(SECONDS / 2) * RATE + RATE / 2; // straddles two chunks
  const window = { start: middle, stop: middle + RATE, channels: all };
  // each read into a new array, or (`out`) into the last one, as a viewer does: a new array's
  // first touch costs page faults, unless the allocator hands back the memory of a collected one.
  // One thread and 2 workers take turns, read for read, so that a change of the machine's speed
  // during the run falls on both alike; the ratio is the median of each pair's.
  const timeReads = async (channels: number[], reuse = false) => {
    const recs = [await openRecording(join(dir, "rec-2.h5"), { workers: 0 }), await openRecording(join(dir, "rec-2.h5"), { workers: 2 })];
    const last = [];
    for (const rec of recs) last.push((await rec.read({ ...window, channels })).data);
    const times: [number[], number[]] = [[], []];
    for (let i = 0; i < 6; i++) {
      for (const k of i % 2 ? [0, 1] : [1, 0]) {
        const t = performance.now();
        await recs[k]?.read({ ...window, channels, out: reuse ? last[k] : undefined });
        times[k]?.push(performance.now() - t);
      }
    }
    for (const rec of recs) await rec.close();
    return { one: median(times[0]), pooled: median(times[1]), ratio: median(times[0].map((t, i) => t / (times[1][i] as number))) };
  };
  const fresh = await timeReads(all);
  const out = await timeReads(all, true);
  const oneChannelMs = (await timeReads([100])).one;
  const [windowMs, pooledMs, windowOutMs, pooledOutMs] = [fresh.one, fresh.pooled, out.one, out.pooled];
  await closeWorkers();

  const mtscompRatio = rows.find((r) => r.tool.startsWith("mtscomp (ours), 2"))?.ratio as number;
  console.log(
    `\n${SECONDS} s x ${CHANNELS} channels int16 at 30 kHz (${rawMB.toFixed(0)} MB; real time = ${realTimeMBs.toFixed(1)} MB/s); whole commands, process start to exit\n`,
  );
  console.log("| tool | ratio | vs mtscomp | compress MB/s (x real time) | decompress MB/s (x real time) |");
  console.log("|---|---|---|---|---|");
  for (const r of rows) {
    console.log(
      `| ${r.tool} | ${r.ratio.toFixed(3)} | ${(r.ratio / mtscompRatio).toFixed(2)}x | ${r.compressMBs.toFixed(1)} (${(r.compressMBs / realTimeMBs).toFixed(1)}x) | ${r.decompressMBs.toFixed(1)} (${(r.decompressMBs / realTimeMBs).toFixed(1)}x) |`,
    );
  }
  console.log(
    `\n1 s x ${CHANNELS} channels from the middle of the .h5 (in-process, @flacarray/recording): ${windowMs.toFixed(1)} ms on one thread, ${pooledMs.toFixed(1)} ms with 2 workers (${fresh.ratio.toFixed(2)}x); into the last result (out): ${windowOutMs.toFixed(1)} and ${pooledOutMs.toFixed(1)} ms (${out.ratio.toFixed(2)}x); 1 s of one channel: ${oneChannelMs.toFixed(1)} ms (medians of 6, one thread and 2 workers taking turns; ratios: medians of the pairs')`,
  );
  writeResults("cli", {
    seconds: SECONDS,
    rows,
    window1sAllChannelsMs: windowMs,
    window1sAllChannelsPooledMs: pooledMs,
    window1sAllChannelsOutMs: windowOutMs,
    window1sAllChannelsPooledOutMs: pooledOutMs,
    window1sOneChannelMs: oneChannelMs,
    window1sAllChannelsPooledRatio: fresh.ratio,
    window1sAllChannelsPooledOutRatio: out.ratio,
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
