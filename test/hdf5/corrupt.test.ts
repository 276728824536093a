/**
 * Corrupt HDF5 files end in a typed error in bounded time (issue 11, items 6 and 12): HDF5's own
 * errors are typed, and a file on which HDF5 never returns is caught by the rehearsal on a worker.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isFlacArrayError } from "@flacarray/core";
import { openFile, readArray } from "@flacarray/hdf5/node";
import type { Group } from "h5wasm";
import { describe, expect, test } from "vitest";
import { mulberry32 } from "../../bench/neuropixels-like.js";
import { rejection } from "../helpers/errors.js";
import { FLACARRAY_FIXTURES, fixtureNpy, MANIFEST } from "../helpers/fixtures.js";
import { tempDir } from "../helpers/temp.js";

const dir = tempDir("flacarray-hdf5-corrupt-");
const multi = readFileSync(join(FLACARRAY_FIXTURES, "hdf5/v1_multi.h5"));

test("one flipped byte in a global heap object's size (HDF5 would spin forever) is an InvalidFormatError within the deadline", async () => {
  const bytes = new Uint8Array(multi);
  bytes[2160] ^= 0xff;
  const path = join(dir, "spin.h5");
  writeFileSync(path, bytes);
  const t0 = performance.now();
  const err = await rejection(openFile(path, "r", { timeoutMs: 1500 }));
  expect(isFlacArrayError(err, "InvalidFormatError"), String(err)).toBe(true);
  expect(String(err)).toMatch(/spin\.h5: HDF5 did not finish reading its metadata within 1500 ms/);
  expect(performance.now() - t0).toBeLessThan(6000);
  // the next file opens as usual (the rehearsal worker was replaced)
  const good = await openFile(join(FLACARRAY_FIXTURES, "hdf5/v1_multi.h5"));
  expect(readArray(good).shape).toStrictEqual([4, 2000]);
  good.close();
});

describe("mutated HDF5 files: a typed error or exactly the right data", () => {
  const groups = MANIFEST.fixtures.filter((f) => f.file === "hdf5/v1_multi.h5");
  test("byte flips and overwrites across the whole file", async () => {
    const rand = mulberry32(61);
    const outcomes = { ok: 0, typed: 0 };
    for (let c = 0; c < 60; c++) {
      const bytes = new Uint8Array(multi);
      const at = Math.floor(rand() * bytes.length);
      if (c % 2) bytes[at] ^= 1 << Math.floor(rand() * 8);
      else bytes.fill(Math.floor(rand() * 256), at, at + 8);
      const path = join(dir, `m${c}.h5`);
      writeFileSync(path, bytes);
      try {
        const file = await openFile(path, "r", { timeoutMs: 5000 });
        try {
          for (const f of groups) {
            const got = readArray(f.group === "/" ? file : (file.get(f.group) as Group));
            expect(got.data, `case ${c} (byte ${at}), ${f.group}`).toStrictEqual(fixtureNpy(f.expected).data);
          }
          outcomes.ok++;
        } finally {
          file.close();
        }
      } catch (err) {
        expect(isFlacArrayError(err), `case ${c} (byte ${at}): ${String(err).slice(0, 300)}`).toBe(true);
        outcomes.typed++;
      }
    }
    expect(outcomes.ok + outcomes.typed).toBe(60);
  });
});
