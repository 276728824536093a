// @flacarray/recording in real Chromium: Python's long streams (Zarr over HTTP, on workers too;
// HDF5 over HTTP and from a Blob, by byte ranges) and a Neuropixels .cbin over HTTP, windows equal to the sources.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { expectSameArray } from "../helpers/arrays.js";
import { MTSCOMP_FIXTURES, MTSCOMP_MANIFEST, type MtscompFixture, mtscompFixture } from "../helpers/mtscomp-fixtures.js";
import { readNpy } from "../helpers/npy.js";
import { pickRows, timeMajor, writeRawRecording } from "../helpers/recordings.js";
import { type BrowserSuite, ROOT, startBrowserSuite } from "./harness.js";
import { unpack } from "./unpack.js";

const LONG = join(import.meta.dirname, "..", "fixtures", "long");
const manifest: { windows: { channels: number[]; start: number; stop: number; expected: string }[] } = JSON.parse(
  readFileSync(join(LONG, "MANIFEST.json"), "utf8"),
);
let browser: BrowserSuite;
/** Synthetic SpikeGLX and Open Ephys recordings, in a folder the suite's server serves. */
let rawDir: string;
let glx: Int16Array;
let oe: Int16Array;
beforeAll(async () => {
  mkdirSync(join(ROOT, ".tmp"), { recursive: true });
  rawDir = mkdtempSync(join(ROOT, ".tmp", "browser-raw-"));
  mkdirSync(join(rawDir, "oe", "continuous", "Neuropix-PXI-100.1"), { recursive: true });
  glx = writeRawRecording(join(rawDir, "p_g0_t0.imec0.ap.bin"), 3000, 7, "int16", 5) as Int16Array;
  writeFileSync(join(rawDir, "p_g0_t0.imec0.ap.meta"), "nSavedChans=7\nimSampRate=30000\n");
  oe = writeRawRecording(join(rawDir, "oe", "continuous", "Neuropix-PXI-100.1", "continuous.dat"), 2500, 3, "int16", 6) as Int16Array;
  const channels = ["A", "B", "C"].map((name) => ({ channel_name: name, bit_volts: 0.195 }));
  writeFileSync(
    join(rawDir, "oe", "structure.oebin"),
    JSON.stringify({ continuous: [{ folder_name: "Neuropix-PXI-100.1/", sample_rate: 2500, num_channels: 3, channels }] }),
  );
  browser = await startBrowserSuite();
});
afterAll(async () => {
  await browser?.close();
  rmSync(rawDir, { recursive: true, force: true });
});

describe("@flacarray/recording in Chromium", () => {
  test.each([
    ["Zarr over HTTP", "test/fixtures/long/python_long_8x900000.zarr", { group: "ap" }],
    ["Zarr over HTTP, 2 workers", "test/fixtures/long/python_long_8x900000.zarr", { group: "ap", workers: 2 }],
    ["HDF5 from a Blob", "test/fixtures/long/python_long_8x900000.h5", { asBlob: true }],
    ["HDF5 over HTTP (byte ranges)", "test/fixtures/long/python_long_8x900000.h5", {}],
    ["HDF5 over HTTP (byte ranges), 2 workers", "test/fixtures/long/python_long_8x900000.h5", { workers: 2 }],
  ])("%s: Python's long streams, every window", async (_name, path, options) => {
    browser.server.log.length = 0;
    for (const w of manifest.windows) {
      const result = await browser.run("readRecording", browser.url(path), { start: w.start, stop: w.stop, channels: w.channels }, options);
      if (!result.ok) throw new Error(`${result.name}: ${result.message}`);
      expect([result.value.nChannels, result.value.nSamples]).toStrictEqual([8, 900000]);
      expect(result.value.shape).toStrictEqual([w.stop - w.start, w.channels.length]);
      expectSameArray(
        unpack(result.value.data),
        timeMajor(readNpy(join(LONG, w.expected)).data as Int32Array, w.channels.length),
        w.expected,
      );
    }
    if (path.endsWith(".h5") && !("asBlob" in options)) {
      // by ranges: HDF5's metadata and the frames of the windows, far less than the file
      const sent = browser.server.log.filter((r) => r.path.endsWith(".h5")).reduce((n, r) => n + r.bytes, 0);
      expect(browser.server.log.filter((r) => r.path.endsWith(".h5")).every((r) => r.status === 206)).toBe(true);
      expect(sent).toBeLessThan(readFileSync(join(ROOT, path)).length / 2);
    }
  });

  test("SpikeGLX .bin + .meta and Open Ephys structure.oebin over HTTP", async () => {
    const base = relative(ROOT, rawDir);
    const spikeglx = await browser.run("readRecording", browser.url(`${base}/p_g0_t0.imec0.ap.bin`), {
      start: 100,
      stop: 200,
      channels: [6, 2],
    });
    if (!spikeglx.ok) throw new Error(`${spikeglx.name}: ${spikeglx.message}`);
    expect([spikeglx.value.format, spikeglx.value.nChannels, spikeglx.value.nSamples]).toStrictEqual(["spikeglx", 7, 3000]);
    expectSameArray(unpack(spikeglx.value.data), pickRows(glx, 7, 100, 200, [6, 2]));
    const openephys = await browser.run("readRecording", browser.url(`${base}/oe/structure.oebin`), {
      start: 2000,
      stop: 2500,
      channels: [0, 1, 2],
    });
    if (!openephys.ok) throw new Error(`${openephys.name}: ${openephys.message}`);
    expect(openephys.value.format).toBe("openephys");
    expectSameArray(unpack(openephys.value.data), pickRows(oe, 3, 2000, 2500, [0, 1, 2]));
  });

  test("a Neuropixels .cbin over HTTP", async () => {
    const f = MTSCOMP_MANIFEST.fixtures.find((x) => x.name === "np1_ap_385ch_int16") as MtscompFixture;
    const raw = new Int16Array(new Uint8Array(readFileSync(mtscompFixture(f.raw))).buffer);
    const path = `test/fixtures/mtscomp/${mtscompFixture(f.cbin).slice(MTSCOMP_FIXTURES.length + 1)}`;
    const result = await browser.run("readRecording", browser.url(path), { start: 5000, stop: 5100, channels: [0, 200, 384] });
    if (!result.ok) throw new Error(`${result.name}: ${result.message}`);
    expect(result.value.format).toBe("mtscomp");
    const expected = Int16Array.from(
      { length: 300 },
      (_, i) => raw[(5000 + Math.floor(i / 3)) * 385 + ([0, 200, 384][i % 3] as number)] as number,
    );
    expectSameArray(unpack(result.value.data), expected);
  });
});
