// Reading windows into an array the caller keeps (`out`): every format fills it, workers decode
// into shared memory in place, and a wrong array is a typed error.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { closeWorkers, InvalidArgumentError } from "@flacarray/core";
import { openRecording } from "@flacarray/recording/node";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { expectSameArray } from "../helpers/arrays.js";
import { runCli } from "../helpers/cli.js";
import { rejection } from "../helpers/errors.js";
import { pickRows, writeRawRecording } from "../helpers/recordings.js";
import { tempDir } from "../helpers/temp.js";

const dir = tempDir("flacarray-window-output-");
const CHANNELS = 12;
let rows: Int16Array;
const bin = join(dir, "np_g0_t0.imec0.ap.bin");

beforeAll(async () => {
  rows = writeRawRecording(bin, 20_000, CHANNELS, "int16", 8) as Int16Array;
  writeFileSync(join(dir, "np_g0_t0.imec0.ap.meta"), `nSavedChans=${CHANNELS}\nimSampRate=30000\n`);
  for (const out of ["np.zarr", "np.h5"]) {
    const c = await runCli("flacarray", ["compress", bin, "-o", join(dir, out), "--chunk-duration", "0.2"]);
    expect(c.code, c.stderr).toBe(0);
  }
});
afterAll(() => closeWorkers());

describe("out", () => {
  test("recordings written by flacarray compress: workers write shared memory in place; ordinary arrays are filled too", async () => {
    for (const file of ["np.zarr", "np.h5"]) {
      for (const workers of [0, 2]) {
        const rec = await openRecording(join(dir, file), { workers });
        const channels = [11, 0, 5, 6];
        for (const out of [new Int16Array(new SharedArrayBuffer(2 * 20_000 * 4)), new Int16Array(20_000 * 4)]) {
          // across chunk boundaries (6000 samples each), twice into the same array
          for (const [start, stop] of [
            [5000, 13_000],
            [100, 7000],
          ] as const) {
            out.fill(-1);
            const { data, shape } = await rec.read({ start, stop, channels, out });
            expect(shape).toStrictEqual([stop - start, 4]);
            expect(data.buffer).toBe(out.buffer);
            expectSameArray(data, pickRows(rows, CHANNELS, start, stop, channels), `${file}, ${workers} workers, ${start}-${stop}`);
            expect(out[(stop - start) * 4]).toBe(-1); // nothing written past the window
          }
        }
        await rec.close();
      }
    }
  });

  test("SpikeGLX rows fill `out` as well", async () => {
    const rec = await openRecording(bin);
    const out = new Int16Array(300);
    const { data } = await rec.read({ start: 19_900, stop: 20_000, channels: [2, 9, 3], out });
    expect(data.buffer).toBe(out.buffer);
    expectSameArray(data, pickRows(rows, CHANNELS, 19_900, 20_000, [2, 9, 3]));
    await rec.close();
  });

  test("an array of another dtype, or too small, is an InvalidArgumentError naming the recording", async () => {
    const rec = await openRecording(join(dir, "np.zarr"));
    for (const out of [new Int32Array(1000), new Int16Array(999), new Float32Array(1000)]) {
      const err = await rejection(rec.read({ start: 0, stop: 100, channels: { start: 0, stop: 10 }, out }));
      expect(err, out.constructor.name).toBeInstanceOf(InvalidArgumentError);
      expect((err as Error).message).toMatch(/np\.zarr.*out must be a typed array of type Int16Array with room for 1000 values/);
    }
    await rec.close();
  });
});
