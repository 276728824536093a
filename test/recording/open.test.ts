// @flacarray/recording: every source kind opened from files, URLs and Blobs; windows equal the
// source data, time-major; windows outside the recording are typed errors.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { closeWorkers, InvalidFormatError, InvalidSelectionError } from "@flacarray/core";
import { openRecording, type Recording, zarrStored } from "@flacarray/recording/node";
import { createStore, writeArray } from "@flacarray/zarr/node";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { neuropixelsLike } from "../../bench/neuropixels-like.js";
import { expectSameArray } from "../helpers/arrays.js";
import { runCli } from "../helpers/cli.js";
import { rejection } from "../helpers/errors.js";
import { FLACARRAY_FIXTURES } from "../helpers/fixtures.js";
import { type StaticServer, serveDirectory } from "../helpers/http-server.js";
import { MTSCOMP_FIXTURES, MTSCOMP_MANIFEST, type MtscompFixture, mtscompFixture } from "../helpers/mtscomp-fixtures.js";
import { readNpy } from "../helpers/npy.js";
import { pickRows, timeMajor, writeLegacyOpenEphys, writeRawRecording } from "../helpers/recordings.js";
import { tempDir } from "../helpers/temp.js";

const LONG = join(import.meta.dirname, "..", "fixtures", "long");
const long: {
  shape: [number, number];
  group: string;
  windows: { channels: number[]; start: number; stop: number; expected: string }[];
} = JSON.parse(readFileSync(join(LONG, "MANIFEST.json"), "utf8"));

let server: StaticServer;
const dir = tempDir("flacarray-recording-");
beforeAll(async () => {
  server = await serveDirectory(join(import.meta.dirname, "..", "fixtures"));
});
afterAll(async () => {
  await server.close();
  await closeWorkers();
});

/** Every manifest window of the Python long fixture, read from `rec`. */
async function expectLongWindows(rec: Recording, workers?: number) {
  expect([rec.nChannels, rec.nSamples]).toStrictEqual(long.shape);
  expect(rec.dtype).toBe("int32");
  for (const w of long.windows) {
    const { data, shape } = await rec.read({ start: w.start, stop: w.stop, channels: w.channels });
    expect(shape).toStrictEqual([w.stop - w.start, w.channels.length]);
    expectSameArray(
      data,
      timeMajor(readNpy(join(LONG, w.expected)).data as Int32Array, w.channels.length),
      `${w.expected}${workers ? `, ${workers} workers` : ""}`,
    );
  }
}

describe("Python's long streams (8 channels x 30 s, one stream per channel)", () => {
  test("HDF5 from a path: the only flacarray group is found; every window equals Python's", async () => {
    const rec = await openRecording(join(LONG, "python_long_8x900000.h5"), { sampleRate: 30000 });
    try {
      expect(rec.format).toBe("flacarray-hdf5");
      expect(rec.sampleRate).toBe(30000);
      await expectLongWindows(rec);
    } finally {
      await rec.close();
    }
  });

  test("Zarr from a path and over HTTP, decoded here and on 2 workers", async () => {
    for (const source of [join(LONG, "python_long_8x900000.zarr"), `${server.url}/long/python_long_8x900000.zarr`]) {
      for (const workers of [0, 2]) {
        const rec = await openRecording(source, { group: long.group, workers });
        expect(rec.format).toBe("flacarray-zarr");
        expect(rec.sampleRate).toBeUndefined();
        await expectLongWindows(rec, workers);
        await rec.close();
      }
    }
  });

  test("HDF5 over HTTP (by byte ranges, opening rehearsed on a worker) and from a Blob", async () => {
    const url = `${server.url}/long/python_long_8x900000.h5`;
    const blob = new Blob([readFileSync(join(LONG, "python_long_8x900000.h5"))]);
    for (const source of [url, blob]) {
      server.log.length = 0;
      const rec = await openRecording(source);
      await expectLongWindows(rec);
      await rec.close();
      if (source === url) {
        expect(server.log.every((r) => r.status === 206)).toBe(true);
        const sent = server.log.reduce((n, r) => n + r.bytes, 0);
        expect(sent).toBeLessThan(readFileSync(join(LONG, "python_long_8x900000.h5")).length / 2);
      }
    }
  });

  test("windows and channels outside the recording are InvalidSelectionErrors, never clamped", async () => {
    const rec = await openRecording(join(LONG, "python_long_8x900000.h5"));
    try {
      const cases = [
        { start: 899_999, stop: 900_001 },
        { start: -1, stop: 10 },
        { start: 10, stop: 5 },
        { channels: [8] },
        { channels: { start: 6, stop: 9 } },
        { start: 1.5, stop: 3 },
      ];
      for (const window of cases) {
        const err = await rejection(rec.read(window));
        expect(err, JSON.stringify(window)).toBeInstanceOf(InvalidSelectionError);
        expect((err as Error).message).toContain("python_long_8x900000.h5");
      }
      const edge = await rec.read({ start: 899_990, stop: 900_000, channels: { start: 6, stop: 8 } });
      expect(edge.shape).toStrictEqual([10, 2]);
    } finally {
      await rec.close();
    }
  });
});

test("a 1 s window of a long one-stream-per-channel Zarr store over HTTP fetches about its frames, not the streams", async () => {
  const channels = 6;
  const n = 900_000;
  const data = neuropixelsLike(channels, n, 12);
  const storeDir = join(dir, "served");
  const { mkdirSync } = await import("node:fs");
  mkdirSync(storeDir);
  await createStore(join(storeDir, "long.zarr"), (root) => writeArray({ data, shape: [channels, n] }, root.resolve("ap")));
  const own = await serveDirectory(storeDir);
  try {
    const rec = await openRecording(`${own.url}/long.zarr/ap`);
    own.log.length = 0;
    const start = 600_000;
    const { data: window } = await rec.read({ start, stop: start + 30_000, channels: [1, 4] });
    const expected = Int32Array.from({ length: 60_000 }, (_, i) => data[(i % 2 === 0 ? 1 : 4) * n + start + Math.floor(i / 2)] as number);
    expectSameArray(window, expected);
    const fetched = own.log.filter((r) => /\/compressed\/\d+$/.test(r.path)).reduce((a, r) => a + r.bytes, 0);
    const { layout } = await zarrStored(`${own.url}/long.zarr/ap`);
    const frames = (30_000 / n) * ((layout.bytes[1] as number) + (layout.bytes[4] as number));
    expect(fetched).toBeLessThan(2 * frames + 64 * 1024);
    expect(fetched).toBeLessThan(((layout.bytes[1] as number) + (layout.bytes[4] as number)) / 5);
    // the next second: each stream's frames are looked for from the frame found last, in one
    // request of little more than them (a window's 30000 samples touch 8 frames of 4096: 1.09x its share)
    own.log.length = 0;
    const next = await rec.read({ start: start + 30_000, stop: start + 60_000, channels: [1, 4] });
    expectSameArray(
      next.data,
      Int32Array.from({ length: 60_000 }, (_, i) => data[(i % 2 === 0 ? 1 : 4) * n + start + 30_000 + Math.floor(i / 2)] as number),
    );
    const nextFetches = own.log.filter((r) => /\/compressed\/\d+$/.test(r.path));
    expect(nextFetches.length).toBe(2);
    expect(nextFetches.reduce((a, r) => a + r.bytes, 0)).toBeLessThan(1.5 * frames);
    await rec.close();
  } finally {
    await own.close();
  }
});

describe("other sources", () => {
  const mts = MTSCOMP_MANIFEST.fixtures.find((x) => x.name === "np1_ap_385ch_int16") as MtscompFixture;
  const raw = new Int16Array(new Uint8Array(readFileSync(mtscompFixture(mts.raw))).buffer);

  test("mtscomp .cbin from a path and over HTTP (by its .ch too)", async () => {
    const rel = mtscompFixture(mts.cbin).slice(MTSCOMP_FIXTURES.length + 1);
    for (const source of [
      mtscompFixture(mts.cbin),
      `${server.url}/mtscomp/${rel}`,
      `${server.url}/mtscomp/${rel.replace(/\.cbin$/, ".ch")}`,
    ]) {
      const rec = await openRecording(source);
      expect([rec.format, rec.nChannels, rec.dtype]).toStrictEqual(["mtscomp", 385, "int16"]);
      const { data } = await rec.read({ start: 2990, stop: 3010, channels: [384, 0, 7] });
      expectSameArray(data, pickRows(raw, 385, 2990, 3010, [384, 0, 7]));
      await rec.close();
    }
  });

  test("SpikeGLX .bin with its .meta", async () => {
    const bin = join(dir, "rec_g0_t0.imec0.ap.bin");
    const rows = writeRawRecording(bin, 3000, 6, "int16", 9) as Int16Array;
    writeFileSync(bin.replace(/\.bin$/, ".meta"), "nSavedChans=6\nimSampRate=30000\ntypeThis=imec\n");
    const rec = await openRecording(bin);
    expect([rec.format, rec.nChannels, rec.nSamples, rec.sampleRate]).toStrictEqual(["spikeglx", 6, 3000, 30000]);
    expectSameArray(
      (await rec.read({ start: 100, stop: 200, channels: { start: 2, stop: 5 } })).data,
      pickRows(rows, 6, 100, 200, [2, 3, 4]),
    );
    await rec.close();
  });

  test("Open Ephys binary (structure.oebin) and legacy (.continuous): rate, names and bitVolts from the files", async () => {
    const folder = join(dir, "oe", "continuous", "Rhythm_FPGA-100.0");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(folder, { recursive: true });
    const rows = writeRawRecording(join(folder, "continuous.dat"), 2000, 3, "int16", 4) as Int16Array;
    const channels = ["A", "B", "C"].map((name) => ({ channel_name: name, bit_volts: 0.195 }));
    writeFileSync(
      join(dir, "oe", "structure.oebin"),
      JSON.stringify({ continuous: [{ folder_name: "Rhythm_FPGA-100.0/", sample_rate: 25000, num_channels: 3, channels }] }),
    );
    const binary = await openRecording(join(dir, "oe"));
    expect([binary.format, binary.sampleRate, binary.channelNames, binary.bitVolts]).toStrictEqual([
      "openephys",
      25000,
      ["A", "B", "C"],
      [0.195, 0.195, 0.195],
    ]);
    expectSameArray((await binary.read({ start: 1990, stop: 2000, channels: [2] })).data, pickRows(rows, 3, 1990, 2000, [2]));
    await binary.close();

    const legacyDir = join(dir, "legacy");
    mkdirSync(legacyDir);
    const legacyRows = writeLegacyOpenEphys(legacyDir, "100_", ["CH1", "CH2"], 3, { sampleRate: 30000, bitVolts: 0.5 });
    const legacy = await openRecording(legacyDir);
    expect([legacy.nSamples, legacy.channelNames, legacy.bitVolts]).toStrictEqual([3072, ["CH1", "CH2"], [0.5, 0.5]]);
    expectSameArray((await legacy.read({ start: 1000, stop: 1100 })).data, pickRows(legacyRows, 2, 1000, 1100, [0, 1]));
    await legacy.close();
  });

  test("SpikeGLX and Open Ephys binary over HTTP: rows fetched with range requests", async () => {
    const { mkdirSync } = await import("node:fs");
    const root = join(dir, "served-raw");
    mkdirSync(join(root, "oe", "continuous", "Neuropix-PXI-100.0"), { recursive: true });
    const glx = writeRawRecording(join(root, "r_g0_t0.imec0.ap.bin"), 4000, 5, "int16", 2) as Int16Array;
    writeFileSync(join(root, "r_g0_t0.imec0.ap.meta"), "nSavedChans=5\nimSampRate=30000\n");
    const oe = writeRawRecording(join(root, "oe", "continuous", "Neuropix-PXI-100.0", "continuous.dat"), 2500, 4, "int16", 3) as Int16Array;
    const channels = ["LFP1", "LFP2", "LFP3", "LFP4"].map((name) => ({ channel_name: name, bit_volts: 0.195 }));
    writeFileSync(
      join(root, "oe", "structure.oebin"),
      JSON.stringify({ continuous: [{ folder_name: "Neuropix-PXI-100.0/", sample_rate: 2500, num_channels: 4, channels }] }),
    );
    const raw = await serveDirectory(root);
    try {
      const spikeglx = await openRecording(`${raw.url}/r_g0_t0.imec0.ap.bin`);
      expect([spikeglx.format, spikeglx.nSamples, spikeglx.nChannels, spikeglx.sampleRate]).toStrictEqual(["spikeglx", 4000, 5, 30000]);
      raw.log.length = 0;
      expectSameArray((await spikeglx.read({ start: 1000, stop: 1100, channels: [4, 0] })).data, pickRows(glx, 5, 1000, 1100, [4, 0]));
      expect(raw.log.map((r) => [r.range, r.status])).toStrictEqual([[`bytes=${1000 * 10}-${1100 * 10 - 1}`, 206]]);
      const openephys = await openRecording(`${raw.url}/oe/structure.oebin`);
      expect([openephys.format, openephys.nSamples, openephys.sampleRate, openephys.channelNames]).toStrictEqual([
        "openephys",
        2500,
        2500,
        ["LFP1", "LFP2", "LFP3", "LFP4"],
      ]);
      expectSameArray((await openephys.read({ start: 2400, stop: 2500 })).data, pickRows(oe, 4, 2400, 2500, [0, 1, 2, 3]));
      const missing = await rejection(openRecording(`${raw.url}/nothing.bin`));
      expect((missing as Error).message).toContain(`${raw.url}/nothing.meta`);
    } finally {
      await raw.close();
    }
  });

  test("a recording written by flacarray compress: chunks, rate and dtype from its attributes", async () => {
    const raw16 = join(dir, "np.bin");
    const rows = writeRawRecording(raw16, 30000 + 123, 10, "int16", 6) as Int16Array;
    const out = join(dir, "np.zarr");
    const c = await runCli("flacarray", ["compress", raw16, "-o", out, "-n", "10", "-s", "30000", "--chunk-duration", "0.25"]);
    expect(c.code, c.stderr).toBe(0);
    for (const workers of [0, 2]) {
      const rec = await openRecording(out, { workers });
      expect([rec.nSamples, rec.nChannels, rec.sampleRate, rec.dtype]).toStrictEqual([30123, 10, 30000, "int16"]);
      // across chunk boundaries (7500 samples each), into the padded last chunk
      for (const [start, stop] of [
        [7000, 16000],
        [30000, 30123],
      ] as const) {
        expectSameArray(
          (await rec.read({ start, stop, channels: [9, 1] })).data,
          pickRows(rows, 10, start, stop, [9, 1]),
          `${start}-${stop}`,
        );
      }
      await rec.close();
    }
    // over HTTP, a recording's (chunks, channels) stream tables are requested with the arrays'
    // metadata at their key, "0.0"; Python's one-stream-per-channel tables at theirs, "0"
    const own = await serveDirectory(dir);
    try {
      for (const [path, key] of [
        ["np.zarr", "0.0"],
        ["long/python_long_8x900000.zarr/ap", "0"],
      ] as const) {
        const at = path.startsWith("long") ? server : own;
        at.log.length = 0;
        const rec = await openRecording(`${at.url}/${path}`);
        await rec.close();
        const tables = at.log.map((r) => r.path.split("/").slice(-2).join("/")).filter((p) => /^stream_(starts|bytes)\/\d/.test(p));
        expect(tables.sort(), path).toStrictEqual([`stream_bytes/${key}`, `stream_starts/${key}`]);
      }
    } finally {
      await own.close();
    }
  });

  test("what is not a recording is a typed error naming it", async () => {
    const multi = join(FLACARRAY_FIXTURES, "hdf5", "v1_multi.h5");
    const several = await rejection(openRecording(multi));
    expect(several).toBeInstanceOf(InvalidSelectionError);
    expect((several as Error).message).toMatch(/v1_multi\.h5: holds \d+ flacarray groups \(.*\); choose one with group/);
    const threeD = await rejection(openRecording(join(FLACARRAY_FIXTURES, "hdf5", "v1_i32_3d_l5.h5")));
    expect(threeD).toBeInstanceOf(InvalidFormatError);
    expect((threeD as Error).message).toMatch(/v1_i32_3d_l5\.h5.*not a recording/);
    const text = join(dir, "notes.txt");
    writeFileSync(text, "hello");
    expect(await rejection(openRecording(text))).toBeInstanceOf(InvalidFormatError);
    expect(await rejection(openRecording(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9])))).toBeInstanceOf(InvalidFormatError);
  });
});
