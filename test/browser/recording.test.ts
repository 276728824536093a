// @flacarray/recording in real Chromium: Python's long streams (Zarr over HTTP, on workers too;
// HDF5 from a Blob) and a Neuropixels .cbin over HTTP, windows equal to the sources.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { expectSameArray } from "../helpers/arrays.js";
import { MTSCOMP_FIXTURES, MTSCOMP_MANIFEST, type MtscompFixture, mtscompFixture } from "../helpers/mtscomp-fixtures.js";
import { readNpy } from "../helpers/npy.js";
import { type BrowserSuite, startBrowserSuite } from "./harness.js";
import { unpack } from "./unpack.js";

const LONG = join(import.meta.dirname, "..", "fixtures", "long");
const manifest: { windows: { channels: number[]; start: number; stop: number; expected: string }[] } = JSON.parse(
  readFileSync(join(LONG, "MANIFEST.json"), "utf8"),
);
let browser: BrowserSuite;
beforeAll(async () => {
  browser = await startBrowserSuite();
});
afterAll(() => browser?.close());

/** Channel-major `a[channels, start:stop]` as time-major rows. */
function timeMajor(channelMajor: Int32Array, width: number): Int32Array {
  const m = channelMajor.length / width;
  return Int32Array.from({ length: channelMajor.length }, (_, i) => channelMajor[(i % width) * m + Math.floor(i / width)] as number);
}

describe("@flacarray/recording in Chromium", () => {
  test.each([
    ["Zarr over HTTP", "test/fixtures/long/python_long_8x900000.zarr", { group: "ap" }],
    ["Zarr over HTTP, 2 workers", "test/fixtures/long/python_long_8x900000.zarr", { group: "ap", workers: 2 }],
    ["HDF5 from a Blob", "test/fixtures/long/python_long_8x900000.h5", { asBlob: true }],
  ])("%s: Python's long streams, every window", async (_name, path, options) => {
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
