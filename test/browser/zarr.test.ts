// @flacarray/zarr in real Chromium: Python's stores and ours over HTTP (also from another origin,
// as from a bucket), writing in memory, and the codecs a read does not need left unloaded.
import { join } from "node:path";
import { FlacArray } from "@flacarray/core";
import { createStore, readArray, writeArray } from "@flacarray/zarr/node";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as zarr from "zarrita";
import { neuropixelsLike } from "../../bench/neuropixels-like.js";
import { expectSameArray } from "../helpers/arrays.js";
import { FLACARRAY_FIXTURES, fixtureNpy, MANIFEST } from "../helpers/fixtures.js";
import { type StaticServer, serveDirectory } from "../helpers/http-server.js";
import { randomArrays } from "../helpers/random-arrays.js";
import { tempDir } from "../helpers/temp.js";
import { type BrowserSuite, startBrowserSuite } from "./harness.js";
import { unpack } from "./unpack.js";

const FIXTURES = MANIFEST.fixtures.filter((f) => f.container === "zarr");
const fixturesPath = FLACARRAY_FIXTURES.slice(FLACARRAY_FIXTURES.indexOf("test/fixtures"));
/** Code the page must not load to read a store without blosc, lz4 or zstd chunks. */
const HEAVY_CODE = /\/(blosc|lz4|zstd|hdf5_util|h5wasm)[^/]*\.js$/;

const channels = 64;
const samples = 30000;
const data = neuropixelsLike(channels, samples, 5);
let browser: BrowserSuite;
/** Serves a store we wrote from another origin than the page's, with a bucket's CORS rule. */
let bucket: StaticServer;

beforeAll(async () => {
  const dir = tempDir("flacarray-browser-zarr-");
  await createStore(join(dir, "rec.zarr"), (root) => writeArray({ data, shape: [channels, samples] }, root.resolve("ap"), { level: 5 }));
  bucket = await serveDirectory(dir);
  bucket.quirks.cors = true;
  browser = await startBrowserSuite();
});
afterAll(async () => {
  await browser?.close();
  await bucket?.close();
});

describe("Zarr in Chromium", () => {
  test.each(FIXTURES)("$id: Python's store, whole and in windows, over HTTP", async (f) => {
    const url = browser.url(`${fixturesPath}/${f.file}${f.group === "/" ? "" : f.group}`);
    const whole = await browser.run("readZarr", url);
    if (!whole.ok) throw new Error(`${whole.name}: ${whole.message}`);
    expect(whole.value.shape).toEqual(f.expected_shape);
    expectSameArray(unpack(whole.value.data), fixtureNpy(f.expected, f.input_cast).data, f.id);
    for (const p of f.partial_reads) {
      const part = await browser.run("readZarr", url, { keep: p.keep as boolean[] | null, streamSlice: p.stream_slice });
      if (!part.ok) throw new Error(`${part.name}: ${part.message}`);
      expect(part.value.shape).toEqual(p.expected_shape);
      expectSameArray(unpack(part.value.data), fixtureNpy(p.expected, f.input_cast).data, JSON.stringify(p));
    }
  });

  test("a window of our store from another origin (CORS, Content-Range not exposed) fetches that stream's bytes and no codec it does not need", async () => {
    await browser.reload();
    bucket.log.length = 0;
    const keep = Array.from({ length: channels }, (_, c) => c === 40);
    const result = await browser.run("readZarr", `${bucket.url}/rec.zarr/ap`, { keep, streamSlice: [1000, 4000] });
    if (!result.ok) throw new Error(`${result.name}: ${result.message}`);
    expect(result.value.shape).toEqual([3000]);
    expectSameArray(unpack(result.value.data), data.subarray(40 * samples + 1000, 40 * samples + 4000));
    const chunkReads = bucket.log.filter((r) => /\/compressed\/\d+$/.test(r.path));
    expect(chunkReads.length).toBeGreaterThan(0);
    expect(chunkReads.every((r) => r.status === 206)).toBe(true);
    const fa = FlacArray.fromArray({ data, shape: [channels, samples] }, { level: 5 });
    expect(chunkReads.reduce((n, r) => n + r.bytes, 0)).toBeLessThanOrEqual(Number(fa.streamBytes[40]));
    expect(browser.requests.filter((u) => HEAVY_CODE.test(u))).toEqual([]);
  });

  test("reading Python's blosc-compressed store loads the blosc codec then, on demand", async () => {
    await browser.reload();
    const f = FIXTURES.find((x) => x.id === "z_v1_npx_385x2000_l5");
    expect(f).toBeDefined();
    const result = await browser.run("readZarr", browser.url(`${fixturesPath}/${f?.file}`));
    expect(result.ok).toBe(true);
    expect(browser.requests.filter((u) => /\/blosc[^/]*\.js$/.test(u))).toHaveLength(1);
  });

  test("writing into an in-memory store gives Node's bytes; a damaged stream is an InvalidStreamError", async () => {
    const result = await browser.run("zarrInMemory", 7);
    if (!result.ok) throw new Error(`${result.name}: ${result.message}`);
    const store = new Map<string, Uint8Array>();
    await writeArray(randomArrays(7).int32, zarr.root(store), { level: 5 });
    expect(Object.keys(result.value.store).sort()).toEqual([...store.keys()].sort());
    for (const [key, bytes] of store) expectSameArray(unpack(result.value.store[key]), bytes, key);
    expectSameArray(unpack(result.value.readBack.data), (await readArray(zarr.root(store))).data);
    expect(result.value.damaged).toMatchObject({ ok: false, name: "InvalidStreamError" });
  });

  test("a server error is a ReadError naming the URL", async () => {
    bucket.quirks.failOn = "/compressed/";
    try {
      const result = await browser.run("readZarr", `${bucket.url}/rec.zarr/ap`);
      expect(result).toMatchObject({ ok: false, name: "ReadError" });
      if (!result.ok) expect(result.message).toContain(`${bucket.url}/rec.zarr/ap/compressed/`);
    } finally {
      bucket.quirks.failOn = undefined;
    }
  });
});
