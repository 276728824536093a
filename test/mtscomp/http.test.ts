import { readFileSync } from "node:fs";
import { decompress, SourceError } from "@flacarray/mtscomp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { rejection } from "../helpers/errors.js";
import { type StaticServer, serveDirectory } from "../helpers/http-server.js";
import { MTSCOMP_FIXTURES, MTSCOMP_MANIFEST, type MtscompFixture, mtscompFixture } from "../helpers/mtscomp-fixtures.js";

const f = MTSCOMP_MANIFEST.fixtures.find((x) => x.name === "np1_ap_385ch_int16") as MtscompFixture;
const raw = new Int16Array(new Uint8Array(readFileSync(mtscompFixture(f.raw))).buffer);
const offsets: number[] = JSON.parse(readFileSync(mtscompFixture(f.ch), "utf8")).chunk_offsets;
let server: StaticServer;

beforeAll(async () => {
  server = await serveDirectory(MTSCOMP_FIXTURES);
});
afterAll(() => server.close());

describe("reading a remote .cbin with HTTP range requests (main entry, no node: APIs)", () => {
  test("a window of 10 samples x 3 channels fetches the .ch and one chunk only", async () => {
    server.log.length = 0;
    const reader = await decompress(`${server.url}/${f.cbin}`);
    const { data, shape } = await reader.get([3000, 3010], [10, 13]);
    expect(shape).toEqual([10, 3]);
    const expected = Array.from({ length: 30 }, (_, i) => raw[(3000 + Math.floor(i / 3)) * 385 + 10 + (i % 3)]);
    expect(Array.from(data as Int16Array)).toEqual(expected);
    const cbinRequests = server.log.filter((r) => r.path.endsWith(".cbin"));
    expect(cbinRequests.map((r) => [r.range, r.status, r.bytes])).toEqual([
      [`bytes=${offsets[1]}-${(offsets[2] as number) - 1}`, 206, (offsets[2] as number) - (offsets[1] as number)],
    ]);
    expect(server.log.filter((r) => r.path.endsWith(".ch"))).toHaveLength(1);
  });

  test("the whole file over HTTP equals the source", async () => {
    const reader = await decompress(`${server.url}/${f.cbin}`);
    const { data } = await reader.get();
    expect(Buffer.from((data as Int16Array).buffer).equals(Buffer.from(raw.buffer))).toBe(true);
  });

  test("a server that ignores Range: each read takes the answer only up to the end of its range, and the data are right", async () => {
    server.quirks.ignoreRange = true;
    server.log.length = 0;
    try {
      const reader = await decompress(`${server.url}/${f.cbin}`);
      const first = await reader.get([0, 3]);
      const last = await reader.get(-1);
      expect(Array.from(first.data as Int16Array)).toEqual(Array.from(raw.subarray(0, 3 * 385)));
      expect(Array.from(last.data as Int16Array)).toEqual(Array.from(raw.subarray(-385)));
      // one request per chunk read; nothing past the range asked for is kept
      expect(server.log.filter((r) => r.path.endsWith(".cbin")).map((r) => r.status)).toStrictEqual([200, 200]);
    } finally {
      server.quirks.ignoreRange = false;
    }
  });

  test("HTTP errors are SourceErrors naming the URL and the range", async () => {
    server.quirks.failOn = ".cbin";
    try {
      const reader = await decompress(`${server.url}/${f.cbin}`);
      const err = await rejection(reader.get(0));
      expect(err).toBeInstanceOf(SourceError);
      expect((err as Error).message).toMatch(new RegExp(`${f.cbin}: HTTP 500 .*\\(bytes 0-${(offsets[1] as number) - 1}\\)`));
    } finally {
      server.quirks.failOn = undefined;
    }
    expect(await rejection(decompress(`${server.url}/missing.cbin`))).toBeInstanceOf(SourceError);
  });
});
