/**
 * A corrupt HDF5 file on which HDF5 never returns is caught by the rehearsal on a worker thread and
 * ends in a typed error within the deadline (issue 11, item 6). Mutated files: test/heavy/fuzz/hdf5.test.ts.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isFlacArrayError } from "@flacarray/core";
import { openFile, readArray } from "@flacarray/hdf5/node";
import { expect, test } from "vitest";
import { rejection } from "../helpers/errors.js";
import { FLACARRAY_FIXTURES } from "../helpers/fixtures.js";
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
