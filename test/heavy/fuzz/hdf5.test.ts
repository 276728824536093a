/**
 * Damaged HDF5 files (Python's, several groups): bytes flipped or overwritten anywhere in the file.
 * Opening (with the rehearsal on a worker thread) and reading every group ends in a typed error or
 * exactly the right data, in bounded time (issue 11, items 6 and 12).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isFlacArrayError } from "@flacarray/core";
import { openFile, openGroup, readArray } from "@flacarray/hdf5/node";
import { describe, expect, test } from "vitest";
import { mulberry32 } from "../../../bench/neuropixels-like.js";
import { FLACARRAY_FIXTURES, fixtureNpy, MANIFEST } from "../../helpers/fixtures.js";
import { tempDir } from "../../helpers/temp.js";

const dir = tempDir("flacarray-hdf5-fuzz-");
const multi = readFileSync(join(FLACARRAY_FIXTURES, "hdf5/v1_multi.h5"));

describe("mutated HDF5 files: a typed error or exactly the right data", () => {
  const groups = MANIFEST.fixtures.filter((f) => f.file === "hdf5/v1_multi.h5");
  test("byte flips and overwrites across the whole file", async () => {
    const rand = mulberry32(61);
    const outcomes = { ok: 0, typed: 0 };
    for (let c = 0; c < 120; c++) {
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
            const got = readArray(openGroup(file, f.group));
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
    expect(outcomes.ok + outcomes.typed).toBe(120);
  });
});
