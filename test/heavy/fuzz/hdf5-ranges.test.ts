/**
 * Damaged HDF5 files read by byte ranges over HTTP (Python's long streams): bytes flipped or
 * overwritten in HDF5's metadata and in `compressed`. Opening (rehearsed on a worker thread) and
 * reading windows ends in a typed error or exactly the right samples, in bounded time.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isFlacArrayError } from "@flacarray/core";
import { openRecording } from "@flacarray/recording/node";
import { afterAll, beforeAll, expect, test } from "vitest";
import { mulberry32 } from "../../../bench/neuropixels-like.js";
import { expectSameArray } from "../../helpers/arrays.js";
import { type StaticServer, serveDirectory } from "../../helpers/http-server.js";
import { readNpy } from "../../helpers/npy.js";
import { timeMajor } from "../../helpers/recordings.js";
import { tempDir } from "../../helpers/temp.js";

const LONG = join(import.meta.dirname, "..", "..", "fixtures", "long");
const original = readFileSync(join(LONG, "python_long_8x900000.h5"));
const windows: { channels: number[]; start: number; stop: number; expected: string }[] = JSON.parse(
  readFileSync(join(LONG, "MANIFEST.json"), "utf8"),
).windows;
const dir = tempDir("flacarray-hdf5-ranges-fuzz-");
let server: StaticServer;
beforeAll(async () => {
  server = await serveDirectory(dir);
});
afterAll(() => server.close());

test("mutations in the metadata and in compressed: a typed error or exactly the right windows", async () => {
  const rand = mulberry32(71);
  const outcomes = { ok: 0, typed: 0 };
  const cases = 60;
  for (let c = 0; c < cases; c++) {
    const bytes = new Uint8Array(original);
    // two in three in HDF5's own first 16 KiB (superblock, object headers, heaps, stream tables)
    const at = c % 3 === 2 ? 16384 + Math.floor(rand() * (bytes.length - 16384)) : Math.floor(rand() * 16384);
    if (c % 2) bytes[at] ^= 1 << Math.floor(rand() * 8);
    else bytes.fill(Math.floor(rand() * 256), at, at + 8);
    writeFileSync(join(dir, `m${c}.h5`), bytes);
    const t0 = performance.now();
    try {
      const rec = await openRecording(`${server.url}/m${c}.h5`, { timeoutMs: 5000 });
      try {
        for (const w of windows) {
          const { data } = await rec.read({ start: w.start, stop: w.stop, channels: w.channels });
          expectSameArray(data, timeMajor(readNpy(join(LONG, w.expected)).data as Int32Array, w.channels.length), `case ${c} (byte ${at})`);
        }
        outcomes.ok++;
      } finally {
        await rec.close();
      }
    } catch (err) {
      expect(isFlacArrayError(err), `case ${c} (byte ${at}): ${String(err).slice(0, 300)}`).toBe(true);
      outcomes.typed++;
    }
    expect(performance.now() - t0, `case ${c} (byte ${at})`).toBeLessThan(30_000);
  }
  expect(outcomes.ok + outcomes.typed).toBe(cases);
  expect(outcomes.typed).toBeGreaterThan(0);
}, 600_000);
