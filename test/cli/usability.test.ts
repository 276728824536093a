// What users of flac, h5ls and mtscomp expect of a command line (issue 16, item 4), run as a user would.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { builtCommand, runCli } from "../helpers/cli.js";
import { readNpy } from "../helpers/npy.js";
import { writeRawRecording } from "../helpers/recordings.js";
import { tempDir } from "../helpers/temp.js";

const dir = tempDir("flacarray-cli-usability-");
const raw = join(dir, "rec.bin");
const h5 = join(dir, "rec.h5");
const cbin = join(dir, "rec.cbin");
const version = JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "packages", "cli", "package.json"), "utf8")).version;

beforeAll(async () => {
  writeRawRecording(raw, 30000, 4);
  expect((await runCli("flacarray", ["compress", raw, "-o", h5, "-n", "4", "-s", "30000"])).code).toBe(0);
  execFileSync(process.execPath, [builtCommand("mtscomp"), raw, cbin, join(dir, "rec.ch"), "-n", "4", "-s", "30000", "-d", "int16"]);
});

describe("the commands", () => {
  test.each(["flacarray", "mtscomp", "mtsdecomp", "mtsdesc"] as const)("%s --version", async (name) => {
    const r = await runCli(name, ["--version"]);
    expect([r.code, r.stdout]).toStrictEqual([0, `${name} ${version} (flacarray-js ${version})\n`]);
  });

  test.each(["mtscomp", "mtsdecomp", "mtsdesc"] as const)("%s --help", async (name) => {
    const r = await runCli(name, ["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^usage: ${name} `));
  });

  test("-f replaces an existing output, as in flac and mtscomp", async () => {
    const out = join(dir, "again.h5");
    for (const args of [[], ["-f"]]) {
      const r = await runCli("flacarray", ["compress", raw, "-o", out, "-n", "4", "-s", "30000", ...args]);
      expect(r.code, r.stderr).toBe(0);
    }
    const back = join(dir, "back.bin");
    writeFileSync(back, "old");
    expect((await runCli("flacarray", ["decompress", out, "-o", back, "-f"])).code).toBe(0);
    expect(readFileSync(back).equals(readFileSync(raw))).toBe(true);
  });

  test("a command with no arguments prints its usage as written, with exit status 2", async () => {
    const r = await runCli("flacarray", ["compress"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^flacarray: usage: flacarray compress INPUT/);
    expect(r.stderr.split("\n").length).toBeGreaterThan(3);
  });

  test("piped into head: no EPIPE stack trace, exit 0", () => {
    for (const [name, args] of [
      ["flacarray", ["info", h5]],
      ["mtsdesc", [cbin]],
    ] as const) {
      const command = [process.execPath, builtCommand(name), ...args].map((a) => `'${a}'`).join(" ");
      const r = spawnSync("bash", ["-c", `set -o pipefail; ${command} | head -1`], { encoding: "utf8" });
      expect(r.stderr, name).toBe("");
      expect(r.status, name).toBe(0);
      expect(r.stdout.trim().split("\n"), name).toHaveLength(1);
    }
  });

  test("mtsdesc given the .ch describes the .cbin beside it", async () => {
    const viaCbin = await runCli("mtsdesc", [cbin]);
    const viaCh = await runCli("mtsdesc", [join(dir, "rec.ch")]);
    expect(viaCh.code, viaCh.stderr).toBe(0);
    expect(viaCh.stdout).toBe(viaCbin.stdout);
    expect(viaCh.stdout).toMatch(/n_channels\s+4/);
  });

  test.each([
    [["--channels", "0:9"], /--channels 0:9: 0:9 reaches channel 8, but the recording has 4 \(0-3\)/],
    [["--channels", "2,7"], /channel 7 is out of range \(the recording has 4\)/],
    [
      ["--start", "0.5s", "--duration", "1s"],
      /the window ends at sample 45000 \(1\.500 s\), but the recording has 30000 samples \(1\.000 s\)/,
    ],
    [["--start", "2s"], /--start 2s: the recording has 30000 samples/],
  ])("decompress %j: an error, never a silent clamp", async (args, message) => {
    const out = join(dir, "clamped.bin");
    const r = await runCli("flacarray", ["decompress", h5, "-o", out, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });

  test("-o x.npy writes a .npy file of shape (samples, channels) as numpy writes it", async () => {
    const out = join(dir, "window.npy");
    const r = await runCli("flacarray", ["decompress", h5, "-o", out, "--channels", "1:3", "--start", "100", "--duration", "50"]);
    expect(r.code, r.stderr).toBe(0);
    const npy = readNpy(out);
    expect([npy.dtype, npy.shape]).toStrictEqual(["<i2", [50, 2]]);
    const rows = new Int16Array(new Uint8Array(readFileSync(raw)).buffer);
    expect(Array.from(npy.data as Int16Array)).toStrictEqual(
      Array.from({ length: 100 }, (_, i) => rows[(100 + (i >> 1)) * 4 + 1 + (i % 2)]),
    );
    expect((readFileSync(out).indexOf(0x0a) + 1) % 64).toBe(0); // data aligned to 64 bytes, as numpy does
  });

  test("-o - writes the samples to stdout and the summary to stderr", () => {
    const r = spawnSync(process.execPath, [builtCommand("flacarray"), "decompress", h5, "-o", "-", "--json"], { maxBuffer: 1 << 26 });
    expect(r.status, String(r.stderr)).toBe(0);
    expect(Buffer.from(r.stdout).equals(readFileSync(raw))).toBe(true);
    expect(JSON.parse(String(r.stderr))).toMatchObject({ output: "-", channels: 4 });
    expect(existsSync("-")).toBe(false);
  });

  test("any flacarray group, Python's too: 2-D integer as (samples, channels) with windows; any other array whole", async () => {
    const fixtures = join(import.meta.dirname, "..", "fixtures", "flacarray");
    // Python's int32 (3 channels x 6000 samples), a window of two channels
    const window = join(dir, "py-window.npy");
    const w = await runCli("flacarray", [
      "decompress",
      join(fixtures, "hdf5/v1_i32_2d_l5.h5"),
      "--group",
      "/flac",
      "-o",
      window,
      "--channels",
      "0,2",
      "--start",
      "100",
      "--duration",
      "20",
    ]);
    expect(w.code, w.stderr).toBe(0);
    const expected = readNpy(join(fixtures, "npy/i32_2d.npy"));
    const got = readNpy(window);
    expect([got.dtype, got.shape]).toStrictEqual(["<i4", [20, 2]]);
    const source = expected.data as Int32Array;
    expect(Array.from(got.data as Int32Array)).toStrictEqual(
      Array.from({ length: 40 }, (_, i) => source[(i % 2 ? 2 : 0) * 6000 + 100 + (i >> 1)]),
    );
    // Python's float64 (2 x 2 x 3000), whole, same shape and values as Python's read_array; the same from Zarr
    for (const file of ["hdf5/v1_f64_3d_quanta_arr.h5", "zarr/v1_f64_3d_quanta_arr.zarr"]) {
      const whole = join(dir, `py-${file.replace("/", "-")}.npy`);
      const args = ["decompress", join(fixtures, file), "-o", whole, ...(file.startsWith("hdf5") ? ["--group", "/flac"] : [])];
      const r = await runCli("flacarray", args);
      expect(r.code, r.stderr).toBe(0);
      const py = readNpy(join(fixtures, "npy/v1_f64_3d_quanta_arr__expected.npy"));
      const ours = readNpy(whole);
      expect([ours.dtype, ours.shape]).toStrictEqual([py.dtype, py.shape]);
      expect(Buffer.from((ours.data as Float64Array).buffer).equals(Buffer.from((py.data as Float64Array).buffer))).toBe(true);
    }
    // windows need a 2-D integer group; times in seconds need a sample rate
    const bad = await runCli("flacarray", [
      "decompress",
      join(fixtures, "hdf5/v1_f64_3d_quanta_arr.h5"),
      "--group",
      "/flac",
      "-o",
      join(dir, "x.npy"),
      "--channels",
      "0",
    ]);
    expect([bad.code, bad.stderr]).toEqual([
      2,
      expect.stringMatching(/take a 2-D integer group \(channels, samples\); this one is read whole/),
    ]);
    const noRate = await runCli("flacarray", [
      "decompress",
      join(fixtures, "hdf5/v1_i32_2d_l5.h5"),
      "--group",
      "/flac",
      "-o",
      join(dir, "y.npy"),
      "--start",
      "1s",
    ]);
    expect([noRate.code, noRate.stderr]).toEqual([2, expect.stringMatching(/--start 1s: the sample rate is unknown; give a sample count/)]);
  });

  test("ls lists every flacarray group (nested ones too), and info describes each", async () => {
    const fixtures = join(import.meta.dirname, "..", "fixtures", "flacarray");
    for (const file of ["hdf5/v1_multi.h5", "zarr/v1_multi.zarr"]) {
      const ls = await runCli("flacarray", ["ls", join(fixtures, file), "--json"]);
      expect(ls.code, ls.stderr).toBe(0);
      const rows = JSON.parse(ls.stdout);
      expect(rows.map((r: { group: string; dtype: string }) => [r.group, r.dtype])).toStrictEqual([
        ["/", "int32"],
        ["/a", "float32"],
        ["/a/b/c", "int64"],
        ["/x/y", "float64"],
      ]);
      expect(rows.every((r: { recording: boolean; ratio: number }) => !r.recording && r.ratio > 1)).toBe(true);
      const info = await runCli("flacarray", ["info", join(fixtures, file), "--json"]);
      expect(JSON.parse(info.stdout).map((g: { group: string }) => g.group)).toStrictEqual(["/", "/a", "/a/b/c", "/x/y"]);
    }
    const ours = await runCli("flacarray", ["ls", h5]);
    expect(ours.stdout).toMatch(/^\/\s+\(1, 4, 30000\)\s+int32\s+ratio \d+\.\d{3} {2}recording\n$/);
  });
});
