// @flacarray/numcodecs in real Chromium: every fixture chunk decodes to numcodecs' bytes, and
// every SpikeInterface store's partial reads come out right through openRecording over HTTP.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { firstDifference, NUMCODECS_FIXTURES, NUMCODECS_MANIFEST, npyBytes, numcodecsNpy } from "../helpers/numcodecs-fixtures.js";
import { type BrowserSuite, startBrowserSuite } from "./harness.js";
import { unpack } from "./unpack.js";

const fixturesPath = NUMCODECS_FIXTURES.slice(NUMCODECS_FIXTURES.indexOf("test/fixtures"));
let browser: BrowserSuite;
beforeAll(async () => {
  browser = await startBrowserSuite();
});
afterAll(() => browser?.close());

describe("numcodecs in Chromium", () => {
  test("all 51 chunks decode to numcodecs' bytes", async () => {
    for (const blob of NUMCODECS_MANIFEST.blobs) {
      const result = await browser.run("decodeNumcodecsChunk", browser.url(`${fixturesPath}/${blob.file}`), blob.codec);
      if (!result.ok) throw new Error(`${blob.id}: ${result.name}: ${result.message}`);
      expect(unpack(result.value), blob.id).toStrictEqual(npyBytes(blob.expected));
    }
  });

  test.each(NUMCODECS_MANIFEST.stores.map((s) => [s.id, s] as const))(
    "%s: every partial read through openRecording over HTTP",
    async (_id, store) => {
      for (const [segment, array] of store.arrays.entries()) {
        const windows = array.partial_reads.map(
          (r) => [r.start_frame, r.end_frame, r.channel_indices] as [number, number, number[] | null],
        );
        const result = await browser.run("readSpikeInterface", browser.url(`${fixturesPath}/${store.store}`), segment, windows);
        if (!result.ok) throw new Error(`${result.name}: ${result.message}`);
        expect(result.value.format).toBe("spikeinterface-zarr");
        expect(result.value.shape).toStrictEqual(array.shape);
        result.value.windows.forEach((packed, i) => {
          const expected = numcodecsNpy(array.partial_reads[i]?.expected ?? "").data as ArrayLike<number>;
          expect(firstDifference(unpack(packed) as ArrayLike<number>, expected), `segment ${segment} read ${i}`).toBe(-1);
        });
      }
    },
  );
});
