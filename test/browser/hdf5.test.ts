// @flacarray/hdf5 in real Chromium (h5wasm's browser build): Python's files read from a Blob,
// whole and in windows, and a file written in the page that Node reads back.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { FlacArray, type NdArray } from "@flacarray/core";
import { openFile, openGroup, readArray } from "@flacarray/hdf5/node";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { expectSameArray } from "../helpers/arrays.js";
import { FLACARRAY_FIXTURES, fixtureNpy, MANIFEST } from "../helpers/fixtures.js";
import { randomArrays } from "../helpers/random-arrays.js";
import { tempDir } from "../helpers/temp.js";
import { type BrowserSuite, startBrowserSuite } from "./harness.js";
import { unpack } from "./unpack.js";

const FIXTURES = MANIFEST.fixtures.filter((x) => x.container === "hdf5");
const fixturesPath = FLACARRAY_FIXTURES.slice(FLACARRAY_FIXTURES.indexOf("test/fixtures"));
const QUANTA: Record<string, number | undefined> = { float32: 1e-3, float64: 1e-7 };
let browser: BrowserSuite;

beforeAll(async () => {
  browser = await startBrowserSuite();
});
afterAll(() => browser?.close());

describe("HDF5 in Chromium", () => {
  test.each(FIXTURES)("$id: Python's file from a Blob, whole and in windows", async (f) => {
    const url = browser.url(`${fixturesPath}/${f.file}`);
    const whole = await browser.run("readHdf5Blob", url, f.group);
    if (!whole.ok) throw new Error(`${whole.name}: ${whole.message}`);
    expect(whole.value.shape).toEqual(f.expected_shape);
    expectSameArray(unpack(whole.value.data), fixtureNpy(f.expected, f.input_cast).data, f.id);
    for (const p of f.partial_reads) {
      const part = await browser.run("readHdf5Blob", url, f.group, { keep: p.keep as boolean[] | null, streamSlice: p.stream_slice });
      if (!part.ok) throw new Error(`${part.name}: ${part.message}`);
      expect(part.value.shape).toEqual(p.expected_shape);
      expectSameArray(unpack(part.value.data), fixtureNpy(p.expected, f.input_cast).data, JSON.stringify(p));
    }
  });

  test("a file written in the page reads back in Node with the values Node compresses to", async () => {
    const result = await browser.run("writeHdf5", 9);
    if (!result.ok) throw new Error(`${result.name}: ${result.message}`);
    const path = join(tempDir("flacarray-browser-h5-"), "from-page.h5");
    writeFileSync(path, unpack(result.value) as Uint8Array);
    const file = await openFile(path);
    try {
      for (const [dtype, arr] of Object.entries(randomArrays(9)) as [string, NdArray][]) {
        const expected = FlacArray.fromArray(arr, { level: 5, quanta: QUANTA[dtype] }).toArray();
        const read = readArray(openGroup(file, dtype));
        expect(read.shape, dtype).toEqual(expected.shape);
        expectSameArray(read.data, expected.data, dtype);
      }
    } finally {
      file.close();
    }
  });

  test("bytes that are not HDF5 are a NotFoundError", async () => {
    expect(await browser.run("openNotHdf5")).toMatchObject({ ok: false, name: "NotFoundError" });
  });
});
