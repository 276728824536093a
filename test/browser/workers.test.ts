// The worker pool in real Chromium: Web Workers compress and decode to Node's bytes and values,
// with shared memory in a cross-origin-isolated page and by moving buffers in an ordinary one.
import { FlacArray, type NdArray } from "@flacarray/core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { expectSameArray } from "../helpers/arrays.js";
import { FLACARRAY_FIXTURES, fixtureNpy, MANIFEST } from "../helpers/fixtures.js";
import { randomArrays } from "../helpers/random-arrays.js";
import { type BrowserSuite, startBrowserSuite } from "./harness.js";
import { unpack } from "./unpack.js";

const QUANTA: Record<string, number | undefined> = { float32: 1e-3, float64: 1e-7 };
const fixturesPath = FLACARRAY_FIXTURES.slice(FLACARRAY_FIXTURES.indexOf("test/fixtures"));

describe.each([
  ["an ordinary page (buffers moved)", false],
  ["a cross-origin-isolated page (shared memory)", true],
])("Web Workers in %s", (_name, isolated) => {
  let browser: BrowserSuite;
  beforeAll(async () => {
    browser = await startBrowserSuite({ isolated });
  });
  afterAll(() => browser?.close());

  test.each([1, 3])("%i workers: every dtype compresses to Node's bytes and decodes to Node's values", async (workers) => {
    const result = await browser.run("workerRoundTrips", 12, workers);
    if (!result.ok) throw new Error(`${result.name}: ${result.message}`);
    expect(result.value.isolated).toBe(isolated);
    for (const [dtype, arr] of Object.entries(randomArrays(12)) as [string, NdArray][]) {
      const node = FlacArray.fromArray(arr, { level: 5, quanta: QUANTA[dtype] });
      const page = result.value.arrays[dtype];
      expect(page?.shared, dtype).toBe(isolated);
      expectSameArray(unpack(page?.compressed as never), node.compressed, `${dtype} compressed`);
      const expected = node.toArray({ streamSlice: [10, null] });
      expect(page?.decoded.shape).toStrictEqual(expected.shape);
      expectSameArray(unpack(page?.decoded.data as never) as typeof expected.data, expected.data, `${dtype} decoded`);
    }
    // the workers were started from the bundle's web-worker.js
    expect(browser.requests.some((u) => u.endsWith("/web-worker.js"))).toBe(true);
  });

  test("a Python Zarr store over HTTP decoded on 2 workers equals Python's array", async () => {
    const f = MANIFEST.fixtures.find((x) => x.id === "z_v1_npx_385x2000_l5");
    const result = await browser.run("readZarrOnWorkers", browser.url(`${fixturesPath}/${f?.file}`), 2);
    if (!result.ok) throw new Error(`${result.name}: ${result.message}`);
    expectSameArray(unpack(result.value.data), fixtureNpy(f?.expected as string, f?.input_cast).data);
  });
});
