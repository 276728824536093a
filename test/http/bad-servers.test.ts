/**
 * Servers that stall, trickle, send without end, cut their answers or send the wrong bytes: every
 * reader of a URL ends in a typed error naming the URL, in bounded time and memory (issue 11, item 8).
 */
import { join } from "node:path";
import { httpGet as coreHttpGet, FlacArray, type HttpOptions, isFlacArrayError, ReadError } from "@flacarray/core";
import { nodeHttpFetch } from "@flacarray/core/node";
import { decompress, isMtscompError, SourceError } from "@flacarray/mtscomp";
import { readArray } from "@flacarray/zarr";
import { createStore, writeFlacArray } from "@flacarray/zarr/node";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { rejection } from "../helpers/errors.js";
import { type Misbehaviour, type StaticServer, serveDirectory } from "../helpers/http-server.js";
import { MTSCOMP_MANIFEST, type MtscompFixture, mtscompFixture } from "../helpers/mtscomp-fixtures.js";
import { tempDir } from "../helpers/temp.js";

const TIMEOUT_MS = 400;
/** Every case must end well within this, whatever the server does. */
const BOUND_MS = 4000;

const dir = tempDir("flacarray-bad-servers-");
const mts = MTSCOMP_MANIFEST.fixtures.find((x) => x.name === "np1_ap_385ch_int16") as MtscompFixture;
let server: StaticServer;

beforeAll(async () => {
  const fa = FlacArray.fromArray({ data: Int32Array.from({ length: 4 * 5000 }, (_, i) => (i * 7919) % 3000), shape: [4, 5000] });
  await createStore(join(dir, "ours.zarr"), (root) => writeFlacArray(fa, root, { chunkBytes: 4000 }));
  const { cpSync } = await import("node:fs");
  for (const file of [mts.cbin, mts.ch]) cpSync(mtscompFixture(file), join(dir, file.split("/").pop() as string));
  server = await serveDirectory(dir);
});
afterAll(() => server.close());

/** Runs `read` with the server misbehaving on paths containing `on`; returns the error and how long it took. */
async function against(on: string, how: Misbehaviour, read: () => Promise<unknown>): Promise<{ err: unknown; ms: number }> {
  server.quirks.misbehave = { on, how };
  const t0 = performance.now();
  try {
    const err = await rejection(read());
    return { err, ms: performance.now() - t0 };
  } finally {
    server.quirks.misbehave = undefined;
  }
}

const HOWS: Misbehaviour[] = ["stall", "stallBody", "trickle", "endless", "cut", "wrongRange"];
const options = { timeoutMs: TIMEOUT_MS, maxBytes: 1 << 20 };

/** httpGet through each way of making requests: the global fetch, and node:http (the Node entries' default). */
describe.each([
  ["global fetch", undefined],
  ["nodeHttpFetch", nodeHttpFetch],
] as const)("httpGet through %s", (_, fetch) => {
  const httpGet = (url: string, range: Parameters<typeof coreHttpGet>[1], o: HttpOptions) => coreHttpGet(url, range, { ...o, fetch });

  test("a range that may end at the end of the file (orToEnd) gets what there is, from 206 and 200 answers alike", async () => {
    const url = `${server.url}/ours.zarr/compressed/0`;
    const whole = (await httpGet(url, undefined, options))?.bytes as Uint8Array;
    const asked = { offset: whole.length - 10, length: 100, orToEnd: true };
    const partial = await httpGet(url, asked, options);
    expect(partial?.bytes).toStrictEqual(whole.subarray(whole.length - 10));
    expect(partial?.size).toBe(whole.length);
    server.quirks.ignoreRange = true;
    const full = await httpGet(url, asked, options).finally(() => {
      server.quirks.ignoreRange = false;
    });
    expect(full?.bytes).toStrictEqual(whole.subarray(whole.length - 10));
    // without orToEnd, a short answer is an error
    const err = await rejection(httpGet(url, { offset: whole.length - 10, length: 100 }, options));
    expect(err).toBeInstanceOf(ReadError);
  });

  test("a 206 without Content-Range (hidden from a page by CORS) is taken when its length is the range's, and refused when it is not", async () => {
    const url = `${server.url}/ours.zarr/compressed/0`;
    const whole = (await httpGet(url, undefined, options))?.bytes as Uint8Array;
    server.quirks.misbehave = { on: "compressed/0", how: "noContentRange" };
    const got = await httpGet(url, { offset: 100, length: 500 }, options).finally(() => {
      server.quirks.misbehave = undefined;
    });
    expect(got?.bytes).toStrictEqual(whole.subarray(100, 600));
    const { err } = await against("compressed/0", "noContentRangeShort", () => httpGet(url, { offset: 100, length: 500 }, options));
    expect(err).toBeInstanceOf(ReadError);
    expect((err as Error).message).toContain("the answer was cut: 499 of 500 bytes");
  });

  test.each(HOWS)("%s: a ReadError naming the URL", async (how) => {
    const url = `${server.url}/ours.zarr/compressed/0`;
    for (const range of [undefined, { offset: 100, length: 500 }]) {
      if (how === "wrongRange" && range === undefined) continue; // a whole-file request has no range to get wrong
      if (how === "endless" && range !== undefined) {
        // 200 to a range request: the body is taken as the whole file, read only up to the end of the range
        server.quirks.misbehave = { on: "compressed/0", how };
        const got = await httpGet(url, range, options).finally(() => {
          server.quirks.misbehave = undefined;
        });
        expect(got?.bytes).toStrictEqual(new Uint8Array(500).fill(0x55));
        continue;
      }
      const { err, ms } = await against("compressed/0", how, () => httpGet(url, range, options));
      expect(err, `${how} ${JSON.stringify(range)}`).toBeInstanceOf(ReadError);
      expect((err as ReadError).path).toBe(url);
      expect(ms).toBeLessThan(BOUND_MS);
    }
  });

  test("the reasons say what happened", async () => {
    const url = `${server.url}/ours.zarr/compressed/0`;
    const reason = async (how: Misbehaviour, range?: { offset: number; length: number }) =>
      String((await against("compressed/0", how, () => httpGet(url, range, options))).err);
    expect(await reason("stall")).toMatch(/no answer within 400 ms/);
    // a body of a promised length is taken whole: how much of it came is not known
    expect(await reason("trickle", { offset: 0, length: 100 })).toMatch(/did not end within 400 ms \(100 bytes promised\)/);
    // one with a Content-Encoding, chunk by chunk (the platform could decompress it past its promised length)
    server.quirks.contentEncoding = "identity";
    try {
      expect(await reason("trickle", { offset: 0, length: 100 })).toMatch(/did not end within 400 ms \(\d+ bytes received\)/);
      expect(await reason("cut", { offset: 0, length: 1000 })).toMatch(/connection broke after 500 bytes|cut: 500 of 1000/);
    } finally {
      server.quirks.contentEncoding = undefined;
    }
    expect(await reason("endless")).toMatch(/longer than 1048576 bytes \(option maxBytes\)/);
    expect(await reason("cut", { offset: 0, length: 1000 })).toMatch(
      /connection broke before the 1000 bytes promised came|cut: 500 of 1000/,
    );
    expect(await reason("wrongRange", { offset: 100, length: 10 })).toMatch(/sent bytes 101-110, not the range asked for/);
  });
});

test.each([
  ["global fetch", undefined],
  ["nodeHttpFetch", nodeHttpFetch],
] as const)("a compressed answer that inflates past the range asked for stops at the range (a gzip bomb), through %s", async (_, fetch) => {
  const { createServer } = await import("node:http");
  const { gzipSync } = await import("node:zlib");
  const bomb = gzipSync(new Uint8Array(256 * 1024 * 1024)); // 256 MiB of zeros in about 256 KiB
  const bomber = createServer((_req, res) => {
    res.writeHead(206, {
      "Content-Length": bomb.length,
      "Content-Range": `bytes 0-${bomb.length - 1}/${bomb.length}`,
      "Content-Encoding": "gzip",
    });
    res.end(bomb);
  });
  await new Promise<void>((resolve) => bomber.listen(0, "127.0.0.1", resolve));
  try {
    const url = `http://127.0.0.1:${(bomber.address() as { port: number }).port}/x`;
    const heap = process.memoryUsage().arrayBuffers;
    const err = await rejection(coreHttpGet(url, { offset: 0, length: bomb.length }, { ...options, fetch }));
    expect(err).toBeInstanceOf(ReadError);
    expect(String(err)).toMatch(new RegExp(`longer than ${bomb.length} bytes`));
    // read chunk by chunk and stopped: never the whole inflated body in memory
    expect(process.memoryUsage().arrayBuffers - heap).toBeLessThan(64 * 1024 * 1024);
  } finally {
    bomber.close();
    bomber.closeAllConnections();
  }
});

describe("Zarr readers over a bad server", () => {
  test.each(HOWS)("%s on a chunk of compressed", async (how) => {
    const { err, ms } = await against("compressed/1", how, () => readArray(`${server.url}/ours.zarr`, options));
    expect(isFlacArrayError(err, "ReadError", "InvalidStreamError"), String(err)).toBe(true);
    expect(String(err)).toContain(`${server.url}/ours.zarr`);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  test.each(HOWS.filter((h) => h !== "wrongRange"))("%s on metadata", async (how) => {
    const { err, ms } = await against(".zattrs", how, () => readArray(`${server.url}/ours.zarr`, options));
    expect(isFlacArrayError(err), String(err)).toBe(true);
    expect(String(err)).toContain(`${server.url}/ours.zarr`);
    expect(ms).toBeLessThan(BOUND_MS);
  });
});

describe("mtscomp readers over a bad server", () => {
  const cbin = () => `${server.url}/${mts.cbin.split("/").pop()}`;

  test.each(HOWS)("%s on the .cbin", async (how) => {
    const { err, ms } = await against(".cbin", how, async () => (await decompress(cbin(), undefined, options)).get([0, 100]));
    expect(isMtscompError(err), String(err)).toBe(true);
    if (how !== "endless" && how !== "wrongRange") expect(err).toBeInstanceOf(SourceError);
    expect(String(err)).toContain(cbin());
    expect(String(err)).not.toMatch(/TypeError: terminated/);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  test.each(HOWS.filter((h) => h !== "wrongRange"))("%s on the .ch", async (how) => {
    const { err, ms } = await against(".ch", how, () => decompress(cbin(), undefined, options));
    expect(isMtscompError(err), String(err)).toBe(true);
    expect(ms).toBeLessThan(BOUND_MS);
  });
});
