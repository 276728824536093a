// The built `flacarray` command, run as a child process as a user would.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { runCli } from "../helpers/cli.js";
import { type StaticServer, serveDirectory } from "../helpers/http-server.js";
import { MTSCOMP_MANIFEST, type MtscompFixture, mtscompFixture } from "../helpers/mtscomp-fixtures.js";
import { writeRawRecording } from "../helpers/recordings.js";
import { tempDir } from "../helpers/temp.js";

const dir = tempDir("flacarray-cli-");
const [nSamples, nChannels, rate] = [2 * 30000 + 1234, 32, 30000]; // two full chunks and a partial one
const raw = join(dir, "rec.bin");
let rows: Int16Array;
const rawArgs = ["-n", String(nChannels), "-s", String(rate)];

beforeAll(() => {
  rows = writeRawRecording(raw, nSamples, nChannels) as Int16Array;
});

describe("compress, then decompress", () => {
  test.each(["rec.h5", "rec.zarr"])("raw int16 -> %s -> raw gives the same bytes; --json summary", async (name) => {
    const out = join(dir, name);
    const c = await runCli("flacarray", ["compress", raw, "-o", out, ...rawArgs, "--workers", "2", "--json"]);
    expect(c.stderr).toBe("");
    expect(c.code).toBe(0);
    const summary = JSON.parse(c.stdout);
    expect(summary).toMatchObject({ nSamples, nChannels, sampleRate: rate, dtype: "int16", chunkSamples: 30000, verified: true });
    expect(summary.ratio).toBeGreaterThan(2);
    const back = join(dir, `${name}.bin`);
    const d = await runCli("flacarray", ["decompress", out, "-o", back]);
    expect(d.code).toBe(0);
    expect(readFileSync(back).equals(readFileSync(raw))).toBe(true);
  });

  test("a window of channels and time gives exactly those samples", async () => {
    const out = join(dir, "window.bin");
    const r = await runCli("flacarray", [
      "decompress",
      join(dir, "rec.zarr"),
      "-o",
      out,
      "--channels",
      "3:9:2,30",
      "--start",
      "1.9s",
      "--duration",
      "110ms",
    ]);
    expect(r.stderr).toBe("");
    const got = new Int16Array(new Uint8Array(readFileSync(out)).buffer);
    const channels = [3, 5, 7, 30];
    const [start, count] = [57000, 3300]; // across the boundary of chunks 1 and 2
    const expected = Int16Array.from(
      { length: count * channels.length },
      (_, i) => rows[(start + Math.floor(i / channels.length)) * nChannels + (channels[i % channels.length] as number)] as number,
    );
    expect(got).toEqual(expected);
  });

  test("int32 input (values beyond int16) round-trips; the output does not depend on the worker count", async () => {
    const raw32 = join(dir, "rec32.bin");
    writeRawRecording(raw32, 40000, 5, "int32");
    for (const workers of ["1", "3"]) {
      const r = await runCli("flacarray", [
        "compress",
        raw32,
        "-o",
        join(dir, `rec32-${workers}.zarr`),
        "-n",
        "5",
        "-s",
        "20000",
        "-d",
        "int32",
        "--workers",
        workers,
      ]);
      expect(r.code).toBe(0);
    }
    const files = (w: string) =>
      readdirSync(join(dir, `rec32-${w}.zarr`, "compressed")).map((f) => readFileSync(join(dir, `rec32-${w}.zarr`, "compressed", f)));
    const [one, three] = [files("1"), files("3")];
    expect(one.length).toBe(three.length);
    expect(one.every((b, i) => b.equals(three[i] as Buffer))).toBe(true);
    const back = join(dir, "rec32.back.bin");
    expect((await runCli("flacarray", ["decompress", join(dir, "rec32-3.zarr"), "-o", back])).code).toBe(0);
    expect(readFileSync(back).equals(readFileSync(raw32))).toBe(true);
  });

  test("a SpikeGLX .meta beside the input gives channels and rate, and is kept in the file", async () => {
    const f = MTSCOMP_MANIFEST.fixtures.find((x) => x.name === "np1_ap_385ch_int16") as MtscompFixture;
    const out = join(dir, "np1.h5");
    const r = await runCli("flacarray", ["compress", mtscompFixture(f.raw), "-o", out, "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ nChannels: 385, sampleRate: 30000, nSamples: 9345 });
    const info = JSON.parse((await runCli("flacarray", ["info", out, "--json"])).stdout);
    expect(info.recording).toMatchObject({ samples: 9345, channels: 385, spikeglxMeta: true });
    expect(info.shape).toEqual([1, 385, 30000]);
  });

  test("reading a window from a Zarr store over HTTP", async () => {
    let server: StaticServer | undefined;
    try {
      server = await serveDirectory(dir);
      const out = join(dir, "http.bin");
      const r = await runCli("flacarray", [
        "decompress",
        `${server.url}/rec.zarr`,
        "-o",
        out,
        "--channels",
        "0:2",
        "--start",
        "100",
        "--duration",
        "10",
      ]);
      expect(r.stderr).toBe("");
      const got = new Int16Array(new Uint8Array(readFileSync(out)).buffer);
      expect(Array.from(got)).toEqual(Array.from({ length: 20 }, (_, i) => rows[(100 + (i >> 1)) * nChannels + (i & 1)]));
    } finally {
      await server?.close();
    }
  });
});

test("info and decompress of an .h5 over HTTP read it by byte ranges", async () => {
  const server = await serveDirectory(dir);
  try {
    const info = await runCli("flacarray", ["info", `${server.url}/rec.h5`, "--json"]);
    expect(info.stderr).toBe("");
    expect(JSON.parse(info.stdout).recording).toMatchObject({ channels: nChannels });
    const out = join(dir, "http-h5.bin");
    const r = await runCli("flacarray", [
      "decompress",
      `${server.url}/rec.h5`,
      "-o",
      out,
      "--channels",
      "1:3",
      "--start",
      "50",
      "--duration",
      "5",
    ]);
    expect(r.stderr).toBe("");
    const got = new Int16Array(new Uint8Array(readFileSync(out)).buffer);
    expect(Array.from(got)).toEqual(Array.from({ length: 10 }, (_, i) => rows[(50 + (i >> 1)) * nChannels + 1 + (i & 1)]));
    expect(server.log.every((q) => q.status === 206)).toBe(true);
  } finally {
    await server.close();
  }
});

describe("mtscomp files", () => {
  const f = MTSCOMP_MANIFEST.fixtures.find((x) => x.name === "np1_ap_385ch_int16") as MtscompFixture;

  test(".cbin -> .zarr -> .cbin keeps every sample; ratio better than mtscomp's", async () => {
    const zarr = join(dir, "from-cbin.zarr");
    const a = await runCli("flacarray", ["convert", mtscompFixture(f.cbin), zarr, "--json"]);
    expect(a.code).toBe(0);
    const cbin = join(dir, "back.cbin");
    const b = await runCli("flacarray", ["convert", zarr, cbin]);
    expect(b.code).toBe(0);
    const out = join(dir, "back.bin");
    expect((await runCli("mtsdecomp", [cbin, "-o", out])).code).toBe(0);
    expect(readFileSync(out).equals(readFileSync(mtscompFixture(f.raw)))).toBe(true);
    expect(JSON.parse(a.stdout).compressedBytes).toBeLessThan(statSync(mtscompFixture(f.cbin)).size);
  });

  test("compress takes a .cbin directly, and info describes one", async () => {
    const r = await runCli("flacarray", ["compress", mtscompFixture(f.cbin), "-o", join(dir, "direct.h5"), "--json"]);
    expect(r.code).toBe(0);
    const info = JSON.parse((await runCli("flacarray", ["info", mtscompFixture(f.cbin), "--json"])).stdout);
    expect(info).toMatchObject({ shape: [9345, 385], dtype: "int16", sampleRate: 30000, chunks: 4 });
  });
});

describe("bad input and safety", () => {
  test("a raw file whose size is not a whole number of frames: exit 1, one line naming it", async () => {
    const odd = join(dir, "odd.bin");
    writeFileSync(odd, new Uint8Array(nChannels * 2 * 100 + 1));
    const r = await runCli("flacarray", ["compress", odd, "-o", join(dir, "odd.h5"), ...rawArgs]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/odd\.bin: the file size \(6401 bytes\) is incompatible/);
    expect(existsSync(join(dir, "odd.h5"))).toBe(false);
  });

  test("an existing output needs --force", async () => {
    const out = join(dir, "exists.h5");
    writeFileSync(out, "keep");
    const r = await runCli("flacarray", ["compress", raw, "-o", out, ...rawArgs]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/exists \(use --force/);
    expect(readFileSync(out, "utf8")).toBe("keep");
    expect((await runCli("flacarray", ["compress", raw, "-o", out, ...rawArgs, "--force"])).code).toBe(0);
  });

  test("usage errors exit 2 with the reason; --help works for every command", async () => {
    // independent commands: run together
    const [missing, unknown, empty, channel, extension] = await Promise.all([
      runCli("flacarray", ["compress", raw, "-o", join(dir, "x.h5")]),
      runCli("flacarray", ["frobnicate"]),
      runCli("flacarray", ["decompress", join(dir, "rec.h5"), "-o", join(dir, "e.bin"), "--duration", "0"]),
      runCli("flacarray", ["decompress", join(dir, "rec.h5"), "-o", join(dir, "e.bin"), "--channels", "40"]),
      runCli("flacarray", ["compress", raw, "-o", join(dir, "x.txt"), ...rawArgs]),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/number of channels is unknown/);
    expect(unknown.code).toBe(2);
    expect([empty.code, empty.stderr]).toEqual([2, expect.stringMatching(/at least one sample/)]);
    expect([channel.code, channel.stderr]).toEqual([2, expect.stringMatching(/channel 40 is out of range \(the recording has 32\)/)]);
    expect(existsSync(join(dir, "e.bin"))).toBe(false);
    expect(extension.stderr).toMatch(/must end in \.h5, \.hdf5 or \.zarr/);
    const commands = ["compress", "decompress", "info", "convert"];
    const helps = await Promise.all(commands.map((command) => runCli("flacarray", [command, "--help"])));
    helps.forEach((help, i) => {
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^usage: flacarray ${commands[i]}`));
    });
  });
});
