import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import {
  CorruptChunkError,
  compress,
  decompress,
  fflateBackend,
  HeaderError,
  InputError,
  nodeBackend,
  OutputExistsError,
  portableBackend,
  SourceError,
} from "@flacarray/mtscomp/node";
import { describe, expect, test } from "vitest";
import { rejection } from "../helpers/errors.js";
import { MTSCOMP_MANIFEST, type MtscompFixture, mtscompFixture } from "../helpers/mtscomp-fixtures.js";
import { tempDir } from "../helpers/temp.js";

const dir = tempDir("mtscomp-errors-");
const f = MTSCOMP_MANIFEST.fixtures.find((x) => x.name === "small_4ch_int16") as MtscompFixture;
const header = () => JSON.parse(readFileSync(mtscompFixture(f.ch), "utf8"));
const cbinBytes = () => new Uint8Array(readFileSync(mtscompFixture(f.cbin)));
const options = { sampleRate: f.sample_rate, nChannels: f.n_channels, dtype: "int16" as const };

/** Writes a .cbin/.ch pair into the temporary folder and returns the .cbin path. */
function pair(name: string, cbin: Uint8Array, ch: string | object): string {
  writeFileSync(join(dir, `${name}.cbin`), cbin);
  writeFileSync(join(dir, `${name}.ch`), typeof ch === "string" ? ch : JSON.stringify(ch));
  return join(dir, `${name}.cbin`);
}

type Json = Record<string, unknown>;

describe("bad .ch headers name the file and the key", () => {
  test.each([
    ["missing n_channels", (h: Json): unknown => delete h.n_channels, "n_channels", /missing key/],
    ["unknown dtype", (h: Json): unknown => void (h.dtype = "complex64"), "dtype", /unsupported dtype "complex64"/],
    [
      "offsets not increasing",
      (h: Json): unknown => void (h.chunk_offsets as number[]).splice(1, 1, 0),
      "chunk_offsets",
      /must increase: entry 1 is 0 after 0/,
    ],
    [
      "bounds and offsets of different lengths",
      (h: Json): unknown => void (h.chunk_bounds as number[]).pop(),
      "chunk_offsets",
      /has \d+ entries but chunk_bounds has/,
    ],
    ["bad chunk_order", (h: Json): unknown => void (h.chunk_order = "X"), "chunk_order", /expected "F" or "C"/],
    ["another algorithm", (h: Json): unknown => void (h.algorithm = "lzma"), "algorithm", /unsupported algorithm/],
    ["string sample rate", (h: Json): unknown => void (h.sample_rate = "30k"), "sample_rate", /positive number/],
  ] as [string, (h: Json) => unknown, string, RegExp][])("%s", async (name, edit, key, message) => {
    const h = header();
    edit(h);
    const cbin = pair(name.replaceAll(" ", "-"), cbinBytes(), h);
    const err = await rejection(decompress(cbin));
    expect(err).toBeInstanceOf(HeaderError);
    expect((err as HeaderError).key).toBe(key);
    expect((err as HeaderError).file).toBe(cbin.replace(/\.cbin$/, ".ch"));
    expect((err as Error).message).toMatch(message);
  });

  test("not JSON", async () => {
    const err = await rejection(decompress(pair("not-json", cbinBytes(), "{ nope")));
    expect(err).toBeInstanceOf(HeaderError);
    expect((err as Error).message).toMatch(/not valid JSON/);
  });

  test("a missing .ch file", async () => {
    copyFileSync(mtscompFixture(f.cbin), join(dir, "lonely.cbin"));
    expect(await rejection(decompress(join(dir, "lonely.cbin")))).toBeInstanceOf(SourceError);
  });
});

describe("a .cbin that disagrees with its header", () => {
  const offsets: number[] = header().chunk_offsets;

  test.each([
    ["truncated", cbinBytes().subarray(0, (offsets.at(-1) as number) - 10)],
    ["with trailing bytes", new Uint8Array([...cbinBytes(), 1, 2, 3])],
  ])("%s: HeaderError on opening, with both sizes", async (name, bytes) => {
    const err = await rejection(decompress(pair(name.replaceAll(" ", "-"), bytes, header())));
    expect(err).toBeInstanceOf(HeaderError);
    expect((err as Error).message).toMatch(new RegExp(`end at byte ${offsets.at(-1)} but the .cbin has ${bytes.length} bytes`));
  });

  test.each([
    ["node:zlib", undefined],
    ["DecompressionStream", portableBackend],
    ["pure JS", fflateBackend],
  ])("a corrupt zlib chunk (%s): CorruptChunkError with chunk and offset, other chunks still read", async (name, backend) => {
    const bytes = cbinBytes();
    bytes[(offsets[2] as number) + 200] ^= 0x55;
    const cbin = pair(`corrupt-${name.replace(/\W/g, "")}`, bytes, header());
    const reader = await decompress(cbin, undefined, { backend });
    const err = await rejection(reader.get([40000, 40010]));
    expect(err).toBeInstanceOf(CorruptChunkError);
    expect(err).toMatchObject({ chunk: 2, byteOffset: offsets[2], file: cbin });
    expect((await reader.get([0, 10])).shape).toEqual([10, 4]);
    await reader.close();
  });

  test.each([
    ["node:zlib", nodeBackend, /incorrect data check/],
    ["DecompressionStream", portableBackend, /chunk 0/],
    ["pure JS", fflateBackend, /Adler-32/],
  ])("a flipped bit in a chunk's Adler-32 trailer is caught (%s)", async (name, backend, message) => {
    const bytes = cbinBytes();
    bytes[(offsets[1] as number) - 1] ^= 1;
    const reader = await decompress(pair(`adler-${name.replace(/\W/g, "")}`, bytes, header()), undefined, { backend });
    const err = await rejection(reader.get([0, 5]));
    expect(err).toBeInstanceOf(CorruptChunkError);
    expect((err as Error).message).toMatch(message);
  });

  test.each([
    ["DecompressionStream", portableBackend],
    ["pure JS", fflateBackend],
  ])("a chunk cut short is an error (%s)", async (_, backend) => {
    const whole = deflateSync(Buffer.alloc(8000, 7));
    await expect(backend.inflate(whole.subarray(0, whole.length - 3), 8000)).rejects.toThrow();
    await expect(backend.inflate(whole.subarray(0, whole.length >> 1), 8000)).rejects.toThrow();
    expect(Array.from(await backend.inflate(whole, 8000))).toEqual(Array.from(Buffer.alloc(8000, 7)));
  });

  test("chunk bounds that disagree with the decompressed size", async () => {
    const h = header();
    h.chunk_bounds[1] += 1;
    const reader = await decompress(pair("bounds", cbinBytes(), h));
    const err = await rejection(reader.get([0, 5]));
    expect(err).toBeInstanceOf(CorruptChunkError);
    expect((err as Error).message).toMatch(/chunk 0 at byte 0: decompressed to 160000 bytes, expected 20001 x 4 x 2 = 160008/);
    await reader.close();
  });
});

describe("bad input to compress", () => {
  test("a raw file whose size is not a multiple of a frame", async () => {
    const raw = join(dir, "odd.bin");
    writeFileSync(raw, new Uint8Array(4 * 2 * 100 + 3));
    const err = await rejection(compress(raw, join(dir, "odd.cbin"), undefined, options));
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(
      /file size \(803 bytes\) is incompatible with the specified parameters \(n_channels=4, dtype=int16\)/,
    );
    expect(existsSync(join(dir, "odd.cbin"))).toBe(false);
  });

  test.each([
    ["no sample rate", { ...options, sampleRate: undefined as unknown as number }, /sampleRate must be a positive number/],
    ["no dtype", { ...options, dtype: undefined }, /dtype is required/],
    ["no channel count", { ...options, nChannels: undefined }, /nChannels must be a positive integer/],
    ["chunks of zero samples", { ...options, chunkDuration: 0.00001 }, /gives chunks of 0 samples/],
  ])("%s", async (_, opts, message) => {
    const err = await rejection(compress(mtscompFixture(f.raw), join(dir, "x.cbin"), undefined, opts));
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(message);
  });

  test("existing outputs are kept unless overwrite is set", async () => {
    const cbin = join(dir, "exists.cbin");
    writeFileSync(cbin, "keep me");
    expect(await rejection(compress(mtscompFixture(f.raw), cbin, undefined, options))).toBeInstanceOf(OutputExistsError);
    expect(readFileSync(cbin, "utf8")).toBe("keep me");
    await compress(mtscompFixture(f.raw), cbin, undefined, { ...options, overwrite: true });
    const reader = await decompress(cbin);
    const out = join(dir, "exists.bin");
    writeFileSync(out, "keep me too");
    expect(await rejection(reader.toFile(out))).toBeInstanceOf(OutputExistsError);
    expect(readFileSync(out, "utf8")).toBe("keep me too");
    await reader.toFile(out, { overwrite: true });
    expect(readFileSync(out).equals(readFileSync(mtscompFixture(f.raw)))).toBe(true);
    await reader.close();
  });
});

describe("sizes in the .ch are checked against the bytes before anything is allocated (issue 11, items 9 and 10)", () => {
  test.each([
    ["n_channels 2^40", (h: Json): unknown => void (h.n_channels = 2 ** 40)],
    ["a last chunk bound of 2^45", (h: Json): unknown => void (h.chunk_bounds as number[]).splice(-1, 1, 2 ** 45)],
    ["a 16-byte chunk that claims 2e8 rows", (h: Json): unknown => Object.assign(h, { chunk_bounds: [0, 2e8], chunk_offsets: [0, 16] })],
  ])("%s is a HeaderError", async (name, edit) => {
    const h = header();
    edit(h);
    const err = await rejection(decompress(pair(name.replaceAll(" ", "_"), cbinBytes(), h)));
    expect(err).toBeInstanceOf(HeaderError);
    expect(String(err)).toMatch(/chunk_bounds.*more than its \d+ compressed bytes can hold/);
  });

  /** A zlib stream of `megabytes` MB of zeros, made without holding them (about 1 KB per MB). */
  async function zlibBomb(megabytes: number): Promise<Uint8Array> {
    const { createDeflate } = await import("node:zlib");
    const deflate = createDeflate({ level: 9 });
    const parts: Buffer[] = [];
    deflate.on("data", (b: Buffer) => parts.push(b));
    const zeros = Buffer.alloc(1 << 20);
    for (let i = 0; i < megabytes; i++) if (!deflate.write(zeros)) await new Promise((r) => deflate.once("drain", r));
    await new Promise((r) => deflate.end(r));
    return new Uint8Array(Buffer.concat(parts));
  }

  test.each([
    ["node:zlib", undefined],
    ["DecompressionStream", portableBackend],
    ["portable (fflate)", fflateBackend],
  ])("a 1 GB zlib bomb in a chunk that declares 8000 bytes stops early (%s)", async (_name, backend) => {
    const bomb = await zlibBomb(1024);
    expect(bomb.length).toBeLessThan(1_200_000);
    // the time a whole 32 MB inflate takes on this machine now, whatever its load: stopping early
    // costs about two of them (one 64 KB step of a bomb holds up to 64 MB), the whole bomb 32
    const step = deflateSync(Buffer.alloc(32 << 20), { level: 9 });
    const c0 = performance.now();
    await (backend ?? nodeBackend).inflate(step, 32 << 20);
    const calibration = performance.now() - c0;
    const h = { ...header(), chunk_bounds: [0, 1000], chunk_offsets: [0, bomb.length] };
    const path = pair(`bomb_${_name.replace(/\W/g, "")}`, bomb, h);
    const rss = process.memoryUsage().rss;
    const t0 = performance.now();
    const reader = await decompress(path, undefined, backend ? { backend } : {});
    const err = await rejection(reader.get([0, 10]));
    expect(err).toBeInstanceOf(CorruptChunkError);
    expect(String(err)).toMatch(/chunk 0.*more than the 8000 bytes|chunk 0.*(buffer|output|length)/i);
    expect(performance.now() - t0).toBeLessThan(8 * calibration + 500);
    expect(process.memoryUsage().rss - rss).toBeLessThan(300 * 1024 * 1024);
    await reader.close();
  });
});
