// The built commands never lose an output or an input (issue 11, items 13-16), run as a user would.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runCli } from "../helpers/cli.js";
import { FLACARRAY_FIXTURES } from "../helpers/fixtures.js";
import { deadPid } from "../helpers/processes.js";
import { writeRawRecording } from "../helpers/recordings.js";
import { tempDir } from "../helpers/temp.js";

const dir = tempDir("flacarray-cli-outputs-");
const raw = join(dir, "rec.bin");
const rawArgs = ["-n", "8", "-s", "30000"];

beforeAll(() => {
  writeRawRecording(raw, 30000 + 500, 8);
});

/** One line on stderr, exit 1. */
function oneLineFailure(r: { code: number; stderr: string }, message: RegExp): void {
  expect(r.code, r.stderr).toBe(1);
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
  expect(r.stderr).toMatch(message);
}

describe("outputs", () => {
  test.each(["busy.h5", "busy.zarr"])("an output another live process is writing (%s) is refused, even with --force", async (name) => {
    const out = join(dir, name);
    writeFileSync(`${out}.lock`, `${process.pid}\n${hostname()}\n`); // this test runner is alive
    const r = await runCli("flacarray", ["compress", raw, "-o", out, ...rawArgs, "--force"]);
    oneLineFailure(r, new RegExp(`${name}: another process \\(pid ${process.pid} .*\\) is writing it`));
    expect(existsSync(out)).toBe(false);
  });

  test("two compressions to one output started together: exactly one succeeds, the other says why", async () => {
    const out = join(dir, "race.zarr");
    const [a, b] = await Promise.all([
      runCli("flacarray", ["compress", raw, "-o", out, ...rawArgs]),
      runCli("flacarray", ["compress", raw, "-o", out, ...rawArgs]),
    ]);
    expect([a.code, b.code].sort()).toStrictEqual([0, 1]);
    expect((a.code ? a : b).stderr).toMatch(/race\.zarr: (another process .* is writing it|the output already exists)/);
  });

  test("output = input is refused even with --force, for every command, and the input is untouched", async () => {
    const copy = join(dir, "same.bin");
    writeFileSync(copy, readFileSync(raw));
    const before = readFileSync(copy);
    const rawNamedH5 = join(dir, "raw-named.h5"); // a raw recording that happens to be called .h5
    writeFileSync(rawNamedH5, before);
    oneLineFailure(
      await runCli("flacarray", ["compress", rawNamedH5, "-o", rawNamedH5, ...rawArgs, "--force"]),
      /raw-named\.h5: is the input/,
    );
    expect(readFileSync(rawNamedH5).equals(before)).toBe(true);
    const h5 = join(dir, "same.h5");
    expect((await runCli("flacarray", ["compress", raw, "-o", h5, ...rawArgs])).code).toBe(0);
    const h5Before = readFileSync(h5);
    oneLineFailure(await runCli("flacarray", ["decompress", h5, "-o", h5, "--force"]), /same\.h5: is the input/);
    expect(readFileSync(h5).equals(h5Before)).toBe(true);
    const m = await runCli("mtscomp", [copy, copy, join(dir, "same.ch"), "-n", "8", "-s", "30000", "-d", "int16", "-f"]);
    expect(m.code).not.toBe(0);
    expect(m.stderr).toMatch(/same\.bin: is the input/);
    expect(readFileSync(copy).equals(before)).toBe(true);
  });

  test("leftovers of a killed run are removed and reported by the next run on the same output", async () => {
    const out = join(dir, "killed.h5");
    const dead = deadPid();
    writeFileSync(`${out}.lock`, `${dead}\n${hostname()}\n`);
    writeFileSync(`${out}.partial-${dead}-lr3x`, new Uint8Array(1000));
    mkdirSync(join(dir, `killed.zarr.partial-${dead}-lr3y`));
    const r = await runCli("flacarray", ["compress", raw, "-o", out, ...rawArgs]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`removed .*killed\\.h5\\.partial-${dead}-lr3x, left by a process that is gone`));
    expect(r.stderr).toMatch(/removed .*killed\.h5\.lock/);
    expect(readdirSync(dir).filter((n) => n.startsWith("killed.h5."))).toStrictEqual([]);
    // another output's leftovers are not this run's business
    expect(existsSync(join(dir, `killed.zarr.partial-${dead}-lr3y`))).toBe(true);
  });

  test("an output in a folder that does not exist: one line naming it", async () => {
    oneLineFailure(
      await runCli("flacarray", ["compress", raw, "-o", join(dir, "nowhere", "x.h5"), ...rawArgs]),
      /x\.h5: its folder .*nowhere does not exist/,
    );
  });
});

describe("odd command lines and full disks: one clear line naming the path (issue 11, item 15)", () => {
  test.each([
    [["-n", "8", "-s", "1e308"], /rec\.bin: a sample rate of 1e\+308 Hz; expected more than 0 and at most/],
    [
      ["-n", "8", "-s", "30000", "--chunk-duration", "1e300"],
      /--chunk-duration 1e\+300 at 30000 Hz gives chunks of .* at most 1024 MiB per chunk/,
    ],
    [["-n", "8", "-s", "30000", "--chunk-duration", "0.00001"], /gives chunks of 0 samples/],
  ])("compress %j", async (args, message) => {
    const r = await runCli("flacarray", ["compress", raw, "-o", join(dir, "odd.h5"), ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/RangeError/);
  });

  test("a folder as input", async () => {
    oneLineFailure(
      await runCli("flacarray", ["compress", dir, "-o", join(dir, "f.h5"), ...rawArgs]),
      /: is a folder, not a recording file/,
    );
  });

  /** A 1 MiB tmpfs, as a disk that fills up; undefined where this machine cannot mount one. */
  function smallDisk(): string | undefined {
    const mountPoint = join(dir, "small-disk");
    mkdirSync(mountPoint, { recursive: true });
    const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", mountPoint]).status === 0;
    if (!mounted) return undefined;
    afterAll(() => spawnSync("umount", [mountPoint]));
    return mountPoint;
  }
  const disk = smallDisk();

  test.skipIf(disk === undefined).each(["full.h5", "full.zarr"])(
    "a full disk (%s): a WriteError naming the output, nothing left",
    async (name) => {
      const big = join(dir, "big.bin");
      writeRawRecording(big, 16 * 30000, 8); // 7.7 MB raw, about 3 MB compressed: does not fit the 1 MiB disk
      const out = join(disk as string, name);
      const r = await runCli("flacarray", ["compress", big, "-o", out, ...rawArgs]);
      oneLineFailure(
        r,
        new RegExp(`WriteError: .*${name.replace(".", "\\.")}: (writing failed: no space left on the device|HDF5 could not write it)`),
      );
      expect(readdirSync(disk as string)).toStrictEqual([]);
    },
  );

  test("inputs are recognised by content: what is not a raw recording is refused, whatever its name", async () => {
    const cases: [string, Uint8Array | string, RegExp][] = [
      [
        "looks-raw.bin",
        readFileSync(join(FLACARRAY_FIXTURES, "hdf5/v1_i32_2d_l5.h5")),
        /looks-raw\.bin: is an HDF5 file, not a raw recording/,
      ],
      ["notes.bin", "nSavedChans=385\nimSampRate=30000\n".repeat(8), /notes\.bin: is a text file, not a raw recording/],
      ["fake.cbin", new Uint8Array(4096).fill(7), /fake\.cbin: is not an mtscomp \.cbin \(no zlib stream at byte 0\)/],
    ];
    for (const [name, content, message] of cases) {
      const path = join(dir, name);
      writeFileSync(path, content);
      const r = await runCli("flacarray", ["compress", path, "-o", join(dir, `${name}.h5`), ...rawArgs]);
      oneLineFailure(r, message);
      expect(existsSync(join(dir, `${name}.h5`))).toBe(false);
    }
  });
});
