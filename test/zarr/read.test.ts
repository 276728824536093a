import { join } from "node:path";
import { FlacArray, isFlacArrayError } from "@flacarray/core";
import { createStore, openStoredGroup, openZarr, readArray, readFlacArray, writeFlacArray } from "@flacarray/zarr/node";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { neuropixelsLike } from "../../bench/neuropixels-like.js";
import { expectSameArray } from "../helpers/arrays.js";
import { type FixtureEntry, FLACARRAY_FIXTURES, fixtureNpy, MANIFEST } from "../helpers/fixtures.js";
import { type StaticServer, serveDirectory } from "../helpers/http-server.js";
import { tempDir } from "../helpers/temp.js";

const FIXTURES = MANIFEST.fixtures.filter((f) => f.container === "zarr");
const cases = FIXTURES.map((f) => [f.id, f] as const);
const groupPath = (f: FixtureEntry) => (f.group === "/" ? "" : f.group.slice(1));
const local = (f: FixtureEntry) => openZarr(join(FLACARRAY_FIXTURES, f.file)).resolve(groupPath(f) || "/");

let server: StaticServer;
beforeAll(async () => {
  server = await serveDirectory(FLACARRAY_FIXTURES);
});
afterAll(() => server.close());
const remote = (f: FixtureEntry) => `${server.url}/${f.file}${f.group === "/" ? "" : f.group}`;

describe("every Python-written Zarr fixture (zarr-python 2, blosc-lz4; format 1 and format 0)", () => {
  test("covers both format versions and every dtype", () => {
    expect(new Set(FIXTURES.map((f) => f.format_version))).toStrictEqual(new Set(["1", 0]));
    expect(new Set(FIXTURES.map((f) => f.dtype)).size).toBe(4);
    expect(FIXTURES.length).toBe(17);
  });

  test.each(cases)("%s: full and partial reads from the directory equal Python's", async (_id, f) => {
    const out = await readArray(local(f));
    expect(out.shape).toStrictEqual(f.expected_shape);
    expectSameArray(out.data, fixtureNpy(f.expected, f.input_cast).data);
    for (const p of f.partial_reads) {
      const part = await readArray(local(f), { keep: p.keep as boolean[] | null, streamSlice: p.stream_slice });
      expect(part.shape).toStrictEqual(p.expected_shape);
      expectSameArray(part.data, fixtureNpy(p.expected, f.input_cast).data, JSON.stringify([p.keep, p.stream_slice]));
    }
  });

  test.each(cases)("%s: the same reads over HTTP from 127.0.0.1", async (_id, f) => {
    expectSameArray((await readArray(remote(f))).data, fixtureNpy(f.expected, f.input_cast).data);
    for (const p of f.partial_reads) {
      const part = await readArray(remote(f), { keep: p.keep as boolean[] | null, streamSlice: p.stream_slice });
      expectSameArray(part.data, fixtureNpy(p.expected, f.input_cast).data, JSON.stringify([p.keep, p.stream_slice]));
    }
  });

  test.each(cases.filter(([, f]) => f.format_version === "1" || f.dtype === "int32" || f.dtype === "float32"))(
    "%s: readFlacArray decodes to the same data",
    async (_id, f) => {
      expectSameArray((await readFlacArray(local(f))).toArray().data, fixtureNpy(f.expected, f.input_cast).data);
    },
  );

  test("a one-channel read of Python's blosc-compressed 385-channel array fetches only the chunk holding it", async () => {
    const f = FIXTURES.find((x) => x.id === "z_v1_npx_385x2000_l5") as FixtureEntry;
    const { layout } = await openStoredGroup(local(f));
    server.log.length = 0;
    const keep = Array.from({ length: 385 }, (_, c) => c === 3);
    const out = await readArray(remote(f), { keep });
    expectSameArray(out.data, fixtureNpy(f.input, "int32").data.subarray(3 * 2000, 4 * 2000));
    const chunks = server.log.filter((r) => /\/compressed\/\d+$/.test(r.path));
    expect(chunks.map((r) => r.path)).toStrictEqual([`/${f.file}/compressed/0`]); // stream 3 lies in chunk 0 of 2
    expect(layout.starts[3] + layout.bytes[3]).toBeLessThan(227778);
  });
  test("readFlacArray with a keep mask: the kept streams of Python's blosc chunks, from the directory and over HTTP", async () => {
    const f = FIXTURES.find((x) => x.id === "z_v1_npx_385x2000_l5") as FixtureEntry;
    // every third stream, and a run of neighbours around the boundary of the two chunks
    const keep = Array.from({ length: 385 }, (_, c) => c % 3 === 0 || (c >= 150 && c < 260));
    const expected = (await readArray(local(f), { keep })).data;
    for (const source of [local(f), remote(f)]) {
      const fa = await readFlacArray(source, { keep });
      expect(fa.shape).toStrictEqual([keep.filter(Boolean).length, 2000]);
      expectSameArray(fa.toArray().data, expected);
    }
  });
});

describe("remote partial reads of a store this package writes (raw chunks)", () => {
  const channels = 385;
  const samples = 30000;
  const data = neuropixelsLike(channels, samples, 3);
  let root: string;
  let fa: FlacArray;
  let own: StaticServer;
  beforeAll(async () => {
    root = tempDir("flacarray-zarr-http-");
    fa = FlacArray.fromArray({ data, shape: [channels, samples] });
    await createStore(join(root, "npx.zarr"), (store) => writeFlacArray(fa, store.resolve("ap")));
    own = await serveDirectory(root);
  });
  afterAll(() => own.close());

  test("one channel, one second, of 385 channels fetches that stream's bytes with Range requests (206) and little else", async () => {
    own.log.length = 0;
    const keep = Array.from({ length: channels }, (_, c) => c === 200);
    const out = await readArray(`${own.url}/npx.zarr/ap`, { keep, streamSlice: [0, samples] });
    expectSameArray(out.data, data.subarray(200 * samples, 201 * samples));
    const fetched = own.log.reduce((a, r) => a + r.bytes, 0);
    const stream = Number(fa.streamBytes[200]);
    const chunkReads = own.log.filter((r) => /\/compressed\/\d+$/.test(r.path));
    expect(chunkReads.every((r) => r.status === 206)).toBe(true);
    expect(chunkReads.reduce((a, r) => a + r.bytes, 0)).toBe(stream);
    // the stream plus the metadata and stream tables (~10 KB), out of the whole store
    expect(fetched).toBeLessThan(stream + 16 * 1024);
    expect(fetched).toBeLessThan(fa.nbytes / 100);
  });

  test("opening takes one request per metadata document of the group's format: no probes of the other format", async () => {
    own.log.length = 0;
    await readArray(`${own.url}/npx.zarr/ap`, { keep: Array.from({ length: channels }, (_, c) => c === 7), streamSlice: [0, 10] });
    const missing = own.log.filter((r) => r.status === 404).map((r) => r.path);
    // an integer array has no offsets or gains; nothing else is looked for in vain
    expect(missing.sort()).toStrictEqual(["/npx.zarr/ap/stream_gains/.zarray", "/npx.zarr/ap/stream_offsets/.zarray"]);
    expect(own.log.some((r) => r.path.endsWith("zarr.json"))).toBe(false);
    expect(own.log.length).toBeLessThanOrEqual(12);
  });

  test("opening over HTTP takes two rounds of requests: the group's metadata, then its arrays' metadata with the stream tables", async () => {
    const latency = 150;
    own.quirks.latencyMs = latency;
    own.log.length = 0;
    try {
      await openStoredGroup(`${own.url}/npx.zarr/ap`);
    } finally {
      own.quirks.latencyMs = undefined;
    }
    // requests sent together arrive together; each round waits for the last one's answers
    const rounds: string[][] = [];
    let roundStart = -Infinity;
    for (const r of [...own.log].sort((a, b) => a.receivedAt - b.receivedAt)) {
      if (r.receivedAt > roundStart + latency / 2) {
        rounds.push([]);
        roundStart = r.receivedAt;
      }
      rounds.at(-1)?.push(r.path.replace("/npx.zarr/ap/", ""));
    }
    expect(rounds.map((round) => round.sort())).toStrictEqual([
      [".zattrs", ".zgroup"],
      [
        "compressed/.zarray",
        "stream_bytes/.zarray",
        "stream_bytes/0",
        "stream_gains/.zarray",
        "stream_offsets/.zarray",
        "stream_starts/.zarray",
        "stream_starts/.zattrs",
        "stream_starts/0",
      ],
    ]);
  });

  test("a wrong guess of where the stream tables start costs a request, and a round trip, not a wrong value", async () => {
    own.log.length = 0;
    const stored = await openStoredGroup(`${own.url}/npx.zarr/ap`, { tableChunkKey: () => "0.0" });
    const paths = own.log.map((r) => r.path.replace("/npx.zarr/ap/", ""));
    expect(paths.filter((p) => p.startsWith("stream_starts/")).sort()).toStrictEqual([
      "stream_starts/.zarray",
      "stream_starts/.zattrs",
      "stream_starts/0",
      "stream_starts/0.0",
    ]);
    const right = await openStoredGroup(`${own.url}/npx.zarr/ap`);
    expect(stored.layout).toStrictEqual(right.layout);
  });

  test("a server that ignores Range still gives the right data (the whole chunk is sliced)", async () => {
    own.quirks.ignoreRange = true;
    try {
      const keep = Array.from({ length: channels }, (_, c) => c === 7 || c === 300);
      const out = await readArray(`${own.url}/npx.zarr/ap`, { keep, streamSlice: [1000, 2000] });
      expectSameArray(out.data.subarray(0, 1000), data.subarray(7 * samples + 1000, 7 * samples + 2000));
      expectSameArray(out.data.subarray(1000), data.subarray(300 * samples + 1000, 300 * samples + 2000));
      expect(own.log.some((r) => r.status === 200 && /compressed\/\d+$/.test(r.path))).toBe(true);
    } finally {
      own.quirks.ignoreRange = false;
    }
  });

  test("readFlacArray with a keep mask copies the kept streams' bytes exactly, across chunk boundaries, over HTTP", async () => {
    const starts = Array.from(fa.streamStarts, Number);
    const chunk = 4 * 1024 * 1024;
    const crossing = starts.findIndex((s, i) => Math.floor(s / chunk) !== Math.floor((s + Number(fa.streamBytes[i]) - 1) / chunk));
    expect(crossing).toBeGreaterThan(0); // a stream split between two chunk files
    const keep = Array.from({ length: channels }, (_, c) => c % 5 === 1 || Math.abs(c - crossing) <= 2);
    const read = await readFlacArray(`${own.url}/npx.zarr/ap`, { keep });
    const kept = keep.flatMap((k, c) => (k ? [c] : []));
    const streamOf = (x: FlacArray, i: number) =>
      x.compressed.subarray(Number(x.streamStarts[i]), Number(x.streamStarts[i]) + Number(x.streamBytes[i]));
    kept.forEach((c, i) => {
      expect(Buffer.from(streamOf(read, i)).equals(Buffer.from(streamOf(fa, c))), `stream ${c}`).toBe(true);
    });
    expect(read.nbytes).toBe(kept.reduce((n, c) => n + Number(fa.streamBytes[c]), 0));
  });

  test("HTTP 404 and 500 become typed errors", async () => {
    const missing = await readArray(`${own.url}/nothing-here.zarr`).catch((e) => e);
    expect(isFlacArrayError(missing, "NotFoundError")).toBe(true);
    own.quirks.failOn = "/compressed/0";
    try {
      const failed = await readArray(`${own.url}/npx.zarr/ap`, { keep: Array.from({ length: channels }, (_, c) => c === 1) }).catch(
        (e) => e,
      );
      expect(isFlacArrayError(failed, "ReadError")).toBe(true);
      expect(String(failed)).toMatch(/npx\.zarr\/ap\/compressed\/0: reading bytes .* failed/);
    } finally {
      own.quirks.failOn = undefined;
    }
  });
});
