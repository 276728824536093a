// Bad input to @flacarray/recording: damaged files, absurd headers and servers that stall or
// answer short end in typed errors, in bounded time and memory.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { decodeStreamWindow, FlacDecoder, FlacEncoder, InvalidFormatError, InvalidStreamError, ReadError } from "@flacarray/core";
import { openRecording } from "@flacarray/recording/node";
import { afterAll, beforeAll, expect, test } from "vitest";
import { neuropixelsLike } from "../../bench/neuropixels-like.js";
import { rejection } from "../helpers/errors.js";
import { FLACARRAY_FIXTURES } from "../helpers/fixtures.js";
import { type StaticServer, serveDirectory } from "../helpers/http-server.js";
import { writeRawRecording } from "../helpers/recordings.js";
import { tempDir } from "../helpers/temp.js";

const dir = tempDir("flacarray-recording-bad-");
let server: StaticServer;
beforeAll(async () => {
  writeRawRecording(join(dir, "ok_g0_t0.imec0.ap.bin"), 3000, 4, "int16", 1);
  writeFileSync(join(dir, "ok_g0_t0.imec0.ap.meta"), "nSavedChans=4\nimSampRate=30000\n");
  writeRawRecording(join(dir, "huge_g0_t0.imec0.ap.bin"), 100, 4, "int16", 1);
  writeFileSync(join(dir, "huge_g0_t0.imec0.ap.meta"), "nSavedChans=1000000000000\nimSampRate=30000\n");
  const spin = new Uint8Array(readFileSync(join(FLACARRAY_FIXTURES, "hdf5/v1_multi.h5")));
  spin[2160] ^= 0xff; // HDF5 spins forever reading this attribute (see test/hdf5/corrupt.test.ts)
  writeFileSync(join(dir, "spin.h5"), spin);
  server = await serveDirectory(dir);
});
afterAll(() => server.close());

test("a .meta with an absurd channel count is refused before any samples are asked for", async () => {
  server.log.length = 0;
  const err = await rejection(openRecording(`${server.url}/huge_g0_t0.imec0.ap.bin`));
  expect(err).toBeInstanceOf(InvalidFormatError);
  expect((err as Error).message).toMatch(/huge_g0_t0\.imec0\.ap\.meta: gives no channel count/);
  expect(server.log.map((r) => r.path)).toStrictEqual(["/huge_g0_t0.imec0.ap.meta"]);
});

test("a server that stalls on the samples: a ReadError naming the URL within the deadline", async () => {
  const rec = await openRecording(`${server.url}/ok_g0_t0.imec0.ap.bin`, { timeoutMs: 400 });
  server.quirks.misbehave = { on: "ok_g0_t0.imec0.ap.bin", how: "stall" };
  try {
    const t0 = performance.now();
    const err = await rejection(rec.read({ start: 0, stop: 100 }));
    expect(err).toBeInstanceOf(ReadError);
    expect((err as Error).message).toContain(`${server.url}/ok_g0_t0.imec0.ap.bin`);
    expect(performance.now() - t0).toBeLessThan(3000);
  } finally {
    server.quirks.misbehave = undefined;
  }
});

test("HDF5 bytes on which HDF5 would spin, from a URL and as bytes: an InvalidFormatError within the deadline", async () => {
  for (const source of [`${server.url}/spin.h5`, readFileSync(join(dir, "spin.h5"))]) {
    const t0 = performance.now();
    // the root group's attributes are where HDF5 spins (the file holds several groups)
    const err = await rejection(openRecording(source, { timeoutMs: 1500, group: "/" }));
    expect(err, String(err)).toBeInstanceOf(InvalidFormatError);
    expect((err as Error).message).toMatch(/HDF5 did not finish reading its metadata within 1500 ms/);
    expect(performance.now() - t0).toBeLessThan(8000);
  }
  // the worker left spinning in HDF5 was stopped, not kept for the next opening, which succeeds
  writeFileSync(join(dir, "after-spin.h5"), readFileSync(join(FLACARRAY_FIXTURES, "hdf5/v1_i32_2d_l5.h5")));
  const rec = await openRecording(`${server.url}/after-spin.h5`, { timeoutMs: 5000 });
  expect(rec.nChannels).toBeGreaterThan(0);
  await rec.close();
});

test("a truncated .h5 URL is a typed error, not a hang", async () => {
  writeFileSync(join(dir, "cut.h5"), readFileSync(join(FLACARRAY_FIXTURES, "hdf5/v1_i32_2d_l5.h5")).subarray(0, 3000));
  const err = await rejection(openRecording(`${server.url}/cut.h5`, { timeoutMs: 3000 }));
  expect(err).toMatchObject({ name: expect.stringMatching(/InvalidFormatError|NotFoundError/) });
});

test("decodeStreamWindow: a reader that answers short is an InvalidStreamError, not a loop", async () => {
  const data = neuropixelsLike(1, 200_000, 2);
  const stream = new FlacEncoder({ level: 5 }).encode(data, 1);
  const short = async (a: number, b: number) => stream.subarray(a, Math.max(a, b - 10));
  const err = await rejection(decodeStreamWindow(short, stream.length, 200_000, 100_000, 101_000, new Int32Array(1000), new FlacDecoder()));
  expect(err).toBeInstanceOf(InvalidStreamError);
  expect((err as Error).message).toMatch(/the reader returned \d+ bytes for bytes \[0, 4096\)/);
});

test("an .h5 URL whose server stalls while it is opened (Node): a ReadError naming the URL within the deadline, not a corrupt file", async () => {
  writeFileSync(join(dir, "stall.h5"), readFileSync(join(FLACARRAY_FIXTURES, "hdf5/v1_i32_2d_l5.h5")));
  for (const how of ["stall", "stallBody"] as const) {
    server.quirks.misbehave = { on: "stall.h5", how };
    const t0 = performance.now();
    const err = await rejection(openRecording(`${server.url}/stall.h5`, { timeoutMs: 400 })).finally(() => {
      server.quirks.misbehave = undefined;
    });
    expect(err, how).toBeInstanceOf(ReadError);
    expect((err as Error).message).toContain(`${server.url}/stall.h5`);
    expect(performance.now() - t0).toBeLessThan(3000);
  }
});
