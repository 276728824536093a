// @flacarray/mtscomp in real Chromium (the platform's DecompressionStream, no node: APIs): a
// Neuropixels .cbin read over HTTP from another origin with range requests, whole and in windows.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { expectSameArray } from "../helpers/arrays.js";
import { type StaticServer, serveDirectory } from "../helpers/http-server.js";
import { MTSCOMP_FIXTURES, MTSCOMP_MANIFEST, type MtscompFixture, mtscompFixture } from "../helpers/mtscomp-fixtures.js";
import { tempDir } from "../helpers/temp.js";
import { type BrowserSuite, startBrowserSuite } from "./harness.js";
import { unpack } from "./unpack.js";

const f = MTSCOMP_MANIFEST.fixtures.find((x) => x.name === "np1_ap_385ch_int16") as MtscompFixture;
const raw = new Int16Array(new Uint8Array(readFileSync(mtscompFixture(f.raw))).buffer);
const offsets: number[] = JSON.parse(readFileSync(mtscompFixture(f.ch), "utf8")).chunk_offsets;
const damagedDir = tempDir("mtscomp-browser-");
let browser: BrowserSuite;
let bucket: StaticServer;
let damaged: StaticServer;

beforeAll(async () => {
  bucket = await serveDirectory(MTSCOMP_FIXTURES);
  bucket.quirks.cors = true;
  damaged = await serveDirectory(damagedDir);
  damaged.quirks.cors = true;
  browser = await startBrowserSuite();
});
afterAll(async () => {
  await browser?.close();
  await bucket?.close();
  await damaged?.close();
});

describe("mtscomp in Chromium", () => {
  test("10 samples x 3 channels fetch the .ch and one chunk's byte range, and equal the source", async () => {
    bucket.log.length = 0;
    const result = await browser.run("readMtscomp", `${bucket.url}/${f.cbin}`, [3000, 3010], [10, 13]);
    if (!result.ok) throw new Error(`${result.name}: ${result.message}`);
    expect(result.value.shape).toEqual([10, 3]);
    const expected = Int16Array.from({ length: 30 }, (_, i) => raw[(3000 + Math.floor(i / 3)) * 385 + 10 + (i % 3)]);
    expectSameArray(unpack(result.value.data), expected);
    const cbin = bucket.log.filter((r) => r.path.endsWith(".cbin"));
    expect(cbin.map((r) => [r.range, r.status])).toEqual([[`bytes=${offsets[1]}-${(offsets[2] as number) - 1}`, 206]]);
  });

  test("the whole recording equals the source", async () => {
    const result = await browser.run("readMtscomp", `${bucket.url}/${f.cbin}`);
    if (!result.ok) throw new Error(`${result.name}: ${result.message}`);
    expectSameArray(unpack(result.value.data), raw);
  });

  test("a missing file is a SourceError naming the URL", async () => {
    const result = await browser.run("readMtscomp", `${bucket.url}/missing.cbin`);
    expect(result).toMatchObject({ ok: false, name: "SourceError" });
    if (!result.ok) expect(result.message).toContain(`${bucket.url}/missing.c`);
  });

  test("a corrupt chunk, and a chunk that inflates past its declared size, are CorruptChunkErrors", async () => {
    const cbin = new Uint8Array(readFileSync(mtscompFixture(f.cbin)));
    const header = JSON.parse(readFileSync(mtscompFixture(f.ch), "utf8"));
    cbin[(offsets[1] as number) + 100] ^= 0x55;
    writeFileSync(join(damagedDir, "corrupt.cbin"), cbin);
    writeFileSync(join(damagedDir, "corrupt.ch"), JSON.stringify(header));
    // chunk 0 alone, declared as 100 rows: it holds far more
    writeFileSync(join(damagedDir, "over.cbin"), cbin.subarray(0, offsets[1]));
    writeFileSync(join(damagedDir, "over.ch"), JSON.stringify({ ...header, chunk_bounds: [0, 100], chunk_offsets: [0, offsets[1]] }));
    const corrupt = await browser.run("readMtscomp", `${damaged.url}/corrupt.cbin`, [3000, 3010]);
    expect(corrupt).toMatchObject({ ok: false, name: "CorruptChunkError" });
    if (!corrupt.ok) expect(corrupt.message).toMatch(/chunk 1 at byte/);
    const intact = await browser.run("readMtscomp", `${damaged.url}/corrupt.cbin`, [0, 10]);
    expect(intact.ok).toBe(true);
    const over = await browser.run("readMtscomp", `${damaged.url}/over.cbin`, [0, 10]);
    expect(over).toMatchObject({ ok: false, name: "CorruptChunkError" });
    if (!over.ok) expect(over.message).toMatch(/more than the 77000 bytes/);
  });
});
