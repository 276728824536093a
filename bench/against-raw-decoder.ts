// Runs bench/whole-read.ts (a whole read against the raw decoder) in child processes: with
// Node's default memory and, on Linux, with glibc's huge pages (GLIBC_TUNABLES), and prints the
// table. Used by the codec (toArray), HDF5 and Zarr (readArray) benchmarks.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** One whole read against the raw decoder, in a process of its own. */
export interface WholeReadRun {
  /** "Node's default" or the GLIBC_TUNABLES setting. */
  memory: string;
  /** The raw decoder (FlacDecoder into one reused buffer), MB/s of int16 data. */
  rawDecoderMBs: number;
  /** The call's whole read into a fresh result, MB/s of int16 data. */
  readMBs: number;
  /** The median over rounds (the two taking turns) of each round's read / raw decoder speed. */
  ratio: number;
}

const HUGE_PAGES = "glibc.malloc.hugetlb=1";

/** Whether the kernel gives transparent huge pages: "always", "madvise", "never" or "unknown". */
export function transparentHugePages(): string {
  try {
    return /\[(\w+)\]/.exec(readFileSync("/sys/kernel/mm/transparent_hugepage/enabled", "utf8"))?.[1] ?? "unknown";
  } catch {
    return "unknown";
  }
}

/** Times `call` (whole-read.ts's arguments, e.g. ["hdf5", file]) against the raw decoder, once per memory setting. */
export function againstRawDecoder(call: string[]): WholeReadRun[] {
  const script = join(dirname(fileURLToPath(import.meta.url)), "whole-read.ts");
  const runs: WholeReadRun[] = [];
  for (const tunables of process.platform === "linux" ? [undefined, HUGE_PAGES] : [undefined]) {
    const env = { ...process.env, GLIBC_TUNABLES: tunables };
    const output = execFileSync(process.execPath, ["--import", "tsx", script, ...call], { env, encoding: "utf8" });
    runs.push({ memory: tunables ? `GLIBC_TUNABLES=${tunables}` : "Node's default", ...JSON.parse(output) });
  }
  return runs;
}

/** Prints the runs of {@link againstRawDecoder} as a table under `title` (MB/s: medians of the rounds); `name` is the call's. */
export function printAgainstRawDecoder(title: string, name: string, runs: readonly WholeReadRun[]): void {
  console.log(`\n${title}, each in a process of its own; transparent huge pages: ${transparentHugePages()}\n`);
  console.log(`| memory | raw decoder MB/s | ${name} MB/s | ${name} / raw decoder |\n|---|---|---|---|`);
  for (const r of runs) {
    console.log(`| ${r.memory} | ${r.rawDecoderMBs.toFixed(1)} | ${r.readMBs.toFixed(1)} | ${r.ratio.toFixed(2)}x |`);
  }
}
