// HDF5 read by byte ranges (over HTTP, from a Blob): h5wasm reads HDF5's metadata from fetched
// blocks, and `compressed` is fetched straight from where HDF5 stores it. Windows equal the data,
// and what is fetched stays near the frames the window needs.
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { blobByteSource, InvalidFormatError, memoryByteSource, ReadError } from "@flacarray/core";
import { datasetBytes, openRangeFile } from "@flacarray/hdf5";
import { createFile, writeArray } from "@flacarray/hdf5/node";
import { openRecording } from "@flacarray/recording";
import type { Dataset, Group } from "h5wasm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { neuropixelsLike } from "../../bench/neuropixels-like.js";
import { expectSameArray } from "../helpers/arrays.js";
import { rejection } from "../helpers/errors.js";
import { type StaticServer, serveDirectory } from "../helpers/http-server.js";
import { readNpy } from "../helpers/npy.js";
import { timeMajor } from "../helpers/recordings.js";
import { tempDir } from "../helpers/temp.js";

const LONG = join(import.meta.dirname, "..", "fixtures", "long");
const PYTHON_H5 = join(LONG, "python_long_8x900000.h5");
const long: { windows: { channels: number[]; start: number; stop: number; expected: string }[] } = JSON.parse(
  readFileSync(join(LONG, "MANIFEST.json"), "utf8"),
);

const dir = tempDir("flacarray-hdf5-ranges-");
const served = join(dir, "served");
let server: StaticServer;
let ignoring: StaticServer;
/** A file of our writer: 12 channels x 600000 samples, `compressed` over 4 MiB (chunked storage). */
const OURS = { channels: 12, samples: 600_000 };
const oursData = neuropixelsLike(OURS.channels, OURS.samples, 5);

beforeAll(async () => {
  mkdirSync(served);
  await createFile(join(served, "ours.h5"), (file) =>
    writeArray({ data: oursData, shape: [OURS.channels, OURS.samples] }, file.create_group("ap") as Group),
  );
  const { copyFileSync } = await import("node:fs");
  copyFileSync(PYTHON_H5, join(served, "python.h5"));
  server = await serveDirectory(served);
  ignoring = await serveDirectory(served);
  ignoring.quirks.ignoreRange = true;
});
afterAll(async () => {
  await server.close();
  await ignoring.close();
});

/** Bytes the server sent since the log was cleared. */
const sent = (s: StaticServer) => s.log.reduce((n, r) => n + r.bytes, 0);

describe("Python's long streams (contiguous `compressed`)", () => {
  test("over HTTP: every window equals Python's; nothing is downloaded whole", async () => {
    server.log.length = 0;
    const rec = await openRecording(`${server.url}/python.h5`);
    expect(rec.format).toBe("flacarray-hdf5");
    expect([rec.nChannels, rec.nSamples]).toStrictEqual([8, 900_000]);
    for (const w of long.windows) {
      const { data } = await rec.read({ start: w.start, stop: w.stop, channels: w.channels });
      expectSameArray(data, timeMajor(readNpy(join(LONG, w.expected)).data as Int32Array, w.channels.length), w.expected);
    }
    expect(server.log.every((r) => r.range !== undefined)).toBe(true);
    expect(sent(server)).toBeLessThan(readFileSync(PYTHON_H5).length / 2);
    await rec.close();
  });

  test("a 1 s window of 2 channels fetches at most 2x its frames + 64 KiB, metadata included", async () => {
    server.log.length = 0;
    const rec = await openRecording(`${server.url}/python.h5`);
    const metadata = sent(server);
    const start = 450_000;
    const { data } = await rec.read({ start, stop: start + 30_000, channels: [2, 5] });
    const streamBytes = await (async () => {
      const file = await openRangeFile(memoryByteSource(readFileSync(PYTHON_H5)));
      return file.run((f) => Array.from((f.get("ap/stream_bytes") as Dataset).value as BigInt64Array, Number));
    })();
    const frames = (30_000 / 900_000) * ((streamBytes[2] as number) + (streamBytes[5] as number));
    expect(metadata).toBeLessThanOrEqual(64 * 1024);
    expect(sent(server)).toBeLessThan(2 * frames + 64 * 1024);
    expect(data.length).toBe(60_000);
    await rec.close();
  });

  test("the same from a Blob: read by slices, not whole", async () => {
    const bytes = readFileSync(PYTHON_H5);
    const source = blobByteSource(new Blob([bytes]), "python.h5");
    const file = await openRangeFile(source);
    const compressed = await datasetBytes(file, "/ap/compressed");
    expect(compressed.direct).toBe(true);
    const starts = await file.run((f) => Array.from((f.get("ap/stream_starts") as Dataset).value as BigInt64Array, Number));
    const at = starts[3] as number;
    const head = await compressed.read(at, at + 4);
    expect(new TextDecoder().decode(head)).toBe("fLaC");
    expect(source.bytesFetched).toBeLessThan(64 * 1024);
    const rec = await openRecording(new Blob([bytes]));
    const w = long.windows[0] as (typeof long.windows)[number];
    const { data } = await rec.read({ start: w.start, stop: w.stop, channels: w.channels });
    expectSameArray(data, timeMajor(readNpy(join(LONG, w.expected)).data as Int32Array, w.channels.length));
  });

  test("a server that ignores Range (200 answers) still reads correctly", async () => {
    const rec = await openRecording(`${ignoring.url}/python.h5`);
    const w = long.windows[1] as (typeof long.windows)[number];
    const { data } = await rec.read({ start: w.start, stop: w.stop, channels: w.channels });
    expectSameArray(data, timeMajor(readNpy(join(LONG, w.expected)).data as Int32Array, w.channels.length));
    expect(ignoring.log.every((r) => r.status === 200)).toBe(true);
  });
});

describe("files of our writer (chunked `compressed`)", () => {
  test("over HTTP: windows across chunk boundaries equal the data, fetched by ranges", async () => {
    server.log.length = 0;
    const rec = await openRecording(`${server.url}/ours.h5`);
    expect([rec.nChannels, rec.nSamples]).toStrictEqual([OURS.channels, OURS.samples]);
    const channels = [0, 5, 11];
    for (const start of [0, 299_000, 570_000]) {
      const stop = start + 30_000;
      const { data } = await rec.read({ start, stop, channels });
      const expected = Int32Array.from({ length: 30_000 * 3 }, (_, i) => {
        const c = channels[i % 3] as number;
        return oursData[c * OURS.samples + start + Math.floor(i / 3)] as number;
      });
      expectSameArray(data, expected, `window at ${start}`);
    }
    const size = readFileSync(join(served, "ours.h5")).length;
    expect(size).toBeGreaterThan(4 * 1024 * 1024);
    expect(sent(server)).toBeLessThan(size / 4);
    await rec.close();
  });

  test("a window of many channels keeps at most 64 requests in flight, and more than 32", async () => {
    // one request per channel's window: 100 channels, more than go at once
    const [channels, samples] = [100, 40_000];
    const data = neuropixelsLike(channels, samples, 9);
    await createFile(join(served, "wide.h5"), (file) => writeArray({ data, shape: [channels, samples] }, file.create_group("ap") as Group));
    let inFlight = 0;
    let most = 0;
    /** The global fetch, counting requests from their call until their answer comes. */
    const counting: typeof fetch = async (input, init) => {
      inFlight++;
      most = Math.max(most, inFlight);
      try {
        return await fetch(input, init);
      } finally {
        inFlight--;
      }
    };
    const rec = await openRecording(`${server.url}/wide.h5`, { fetch: counting });
    const all = Array.from({ length: channels }, (_, c) => c);
    const { data: window } = await rec.read({ start: 20_000, stop: 24_096, channels: all });
    expectSameArray(
      window,
      Int32Array.from({ length: 4096 * channels }, (_, i) => data[(i % channels) * samples + 20_000 + Math.floor(i / channels)] as number),
    );
    expect(most).toBeLessThanOrEqual(64);
    expect(most).toBeGreaterThan(32);
    await rec.close();
  });

  test("chunked storage is read straight from the source; a gzip-compressed dataset is read through HDF5", async () => {
    const { openBuffer, closeToBytes } = await import("@flacarray/hdf5");
    const bytes = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 31 + (i >> 9)) & 255);
    const file = await openBuffer(null, "w");
    file.create_dataset({ name: "plain", data: bytes, chunks: [65536], dtype: "<B" });
    file.create_dataset({ name: "gzip", data: bytes, chunks: [65536], compression: "gzip", compression_opts: [4], dtype: "<B" } as never);
    const image = closeToBytes(file);
    const source = memoryByteSource(image, "made.h5");
    const range = await openRangeFile(source);
    for (const name of ["plain", "gzip"]) {
      const reader = await datasetBytes(range, `/${name}`);
      expect(reader.direct, name).toBe(name === "plain");
      for (const [a, b] of [
        [0, 10],
        [65_530, 65_540],
        [100_000, 299_999],
        [299_999, 300_000],
      ] as const) {
        expect(await reader.read(a, b), `${name} [${a}, ${b})`).toStrictEqual(bytes.slice(a, b));
      }
    }
  });
});

describe("bad input", () => {
  test("bytes that are not HDF5, a truncated file and a missing URL are typed errors", async () => {
    const notHdf5 = await rejection(openRangeFile(memoryByteSource(new Uint8Array(100_000).fill(7), "sevens.h5")));
    expect(notHdf5).toBeInstanceOf(InvalidFormatError);
    expect((notHdf5 as Error).message).toContain("sevens.h5");
    const cut = await rejection(openRecording(new Blob([readFileSync(PYTHON_H5).subarray(0, 5000)], { type: "" })));
    expect(cut).toBeInstanceOf(InvalidFormatError);
    const missing = await rejection(openRecording(`${server.url}/absent.h5`));
    expect(missing).toBeInstanceOf(ReadError);
    expect((missing as Error).message).toContain("absent.h5");
  });

  test("a server that stalls or sends the wrong bytes: a ReadError naming the URL, within the deadline", async () => {
    const rec = await openRecording(`${server.url}/python.h5`, { timeoutMs: 400 });
    for (const how of ["stall", "wrongRange"] as const) {
      server.quirks.misbehave = { on: "python.h5", how };
      const t0 = performance.now();
      const err = await rejection(rec.read({ start: 300_000, stop: 330_000, channels: [1] })).finally(() => {
        server.quirks.misbehave = undefined;
      });
      expect(err, how).toBeInstanceOf(ReadError);
      expect((err as Error).message).toContain("python.h5");
      expect(performance.now() - t0).toBeLessThan(3000);
    }
  });

  test("a file whose HDF5 metadata would need more than the cache allows stops with a ReadError", async () => {
    const source = memoryByteSource(readFileSync(PYTHON_H5), "python.h5");
    const err = await rejection(openRangeFile(source, { maxCachedBytes: 1000 }));
    expect(err).toBeInstanceOf(ReadError);
    expect((err as Error).message).toMatch(/maxCachedBytes/);
  });
});
