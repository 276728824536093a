// @flacarray/core in real Chromium: the same arrays compress to the same bytes as in Node and
// come back exact, and Python-written FLAC streams decode to Python's numbers.
import { FlacArray, type NdArray } from "@flacarray/core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { expectSameArray } from "../helpers/arrays.js";
import { FLACARRAY_FIXTURES, fixtureNpy, MANIFEST } from "../helpers/fixtures.js";
import { randomArrays } from "../helpers/random-arrays.js";
import { type BrowserSuite, startBrowserSuite } from "./harness.js";
import { unpack } from "./unpack.js";

let browser: BrowserSuite;
beforeAll(async () => {
  browser = await startBrowserSuite();
});
afterAll(() => browser?.close());

const QUANTA: Record<string, number | undefined> = { float32: 1e-3, float64: 1e-7 };
const fixturesPath = FLACARRAY_FIXTURES.slice(FLACARRAY_FIXTURES.indexOf("test/fixtures"));

describe("core in Chromium", () => {
  test("every dtype compresses to Node's bytes and decompresses to Node's values", async () => {
    const result = await browser.run("coreRoundTrips", 11);
    if (!result.ok) throw new Error(`${result.name}: ${result.message}`);
    for (const [dtype, arr] of Object.entries(randomArrays(11)) as [string, NdArray][]) {
      const node = FlacArray.fromArray(arr, { level: 5, quanta: QUANTA[dtype] });
      const fromPage = result.value[dtype];
      expect(fromPage, dtype).toBeDefined();
      expectSameArray(unpack(fromPage.compressed), node.compressed, `${dtype} compressed`);
      const decoded = node.toArray();
      expect(fromPage.decoded.shape, dtype).toEqual(decoded.shape);
      expectSameArray(unpack(fromPage.decoded.data) as typeof decoded.data, decoded.data, `${dtype} decoded`);
      if (!dtype.startsWith("float")) expectSameArray(decoded.data, arr.data, `${dtype} lossless`);
    }
  });

  // the WebAssembly kernel runs in Chromium, and the TypeScript one (for pages that forbid WebAssembly) decodes alike
  test.each(MANIFEST.flac_blobs.flatMap((blob) => (["wasm", "typescript"] as const).map((kernel) => ({ ...blob, kernel }))))(
    "Python's FLAC stream $id decodes to its samples ($kernel kernel)",
    async (blob) => {
      const result = await browser.run("decodeFlacUrl", browser.url(`${fixturesPath}/${blob.file}`), blob.kernel);
      if (!result.ok) throw new Error(`${result.name}: ${result.message}`);
      expect(result.value.kernel).toBe(blob.kernel);
      // int64 blobs are stereo streams of each value's two 32-bit halves
      const { data } = fixtureNpy(blob.decoded);
      expectSameArray(unpack(result.value.samples), new Int32Array(data.buffer, data.byteOffset, data.byteLength / 4), blob.id);
    },
  );
});
