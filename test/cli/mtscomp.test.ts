// The built mtscomp-compatible commands (mtscomp, mtsdecomp, mtsdesc), run as child processes,
// with HOME in a temporary folder so that ~/.mtscomp is the test's own.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { runCli } from "../helpers/cli.js";
import { MTSCOMP_MANIFEST, type MtscompFixture, mtscompFixture } from "../helpers/mtscomp-fixtures.js";
import { tempDir } from "../helpers/temp.js";

const dir = tempDir("mtscomp-cli-");
const env = { ...process.env, HOME: dir };
const f = MTSCOMP_MANIFEST.fixtures.find((x) => x.name === "small_4ch_int16") as MtscompFixture;

describe("mtscomp / mtsdecomp / mtsdesc", () => {
  test("mtscomp x.bin writes x.cbin and x.ch as Python does; mtsdecomp -o gives the input back", async () => {
    const bin = join(dir, "x.bin");
    copyFileSync(mtscompFixture(f.raw), bin);
    const c = await runCli("mtscomp", [bin, "-d", "int16", "-s", String(f.sample_rate), "-n", "4"], { env });
    expect(c.stderr).toBe("");
    expect(c.code).toBe(0);
    const ch = JSON.parse(readFileSync(join(dir, "x.ch"), "utf8"));
    const python = JSON.parse(readFileSync(mtscompFixture(f.ch), "utf8"));
    for (const key of ["chunk_bounds", "dtype", "n_channels", "sample_rate", "sha1_uncompressed", "shape", "version", "chunk_order"])
      expect(ch[key]).toEqual(python[key]);
    const out = join(dir, "x.out.bin");
    expect((await runCli("mtsdecomp", [join(dir, "x.cbin"), "-o", out], { env })).code).toBe(0);
    expect(readFileSync(out).equals(readFileSync(bin))).toBe(true);
    const exists = await runCli("mtsdecomp", [join(dir, "x.cbin"), "-o", out], { env });
    expect(exists.code).toBe(1);
    expect(exists.stderr).toMatch(/OutputExistsError: .*already exists/);
    expect((await runCli("mtsdecomp", [join(dir, "x.cbin"), "-o", out, "-f", "-nc"], { env })).code).toBe(0);
  });

  test("mtsdesc prints Python's fields", async () => {
    const r = await runCli("mtsdesc", [mtscompFixture(f.cbin)], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^dtype\s+int16$/m);
    expect(r.stdout).toMatch(/^n_channels\s+4$/m);
    expect(r.stdout).toMatch(/^n_samples\s+45678$/m);
    expect(r.stdout).toMatch(/^n_chunks\s+3$/m);
  });

  test("--set-default persists settings to ~/.mtscomp (even when the call then fails); later calls use them", async () => {
    const bin = join(dir, "y.bin");
    copyFileSync(mtscompFixture(f.raw), bin);
    const first = await runCli("mtscomp", [bin, "-d", "int16", "-s", String(f.sample_rate), "--set-default"], { env });
    expect(first.code).toBe(2);
    expect(first.stderr).toMatch(/number of channels \(-n\)/);
    const config = JSON.parse(readFileSync(join(dir, ".mtscomp"), "utf8"));
    expect(config).toMatchObject({ dtype: "int16", sample_rate: f.sample_rate, check_after_compress: true, chunk_order: "F" });
    expect((await runCli("mtscomp", [bin, "-n", "4"], { env })).code).toBe(0);
    expect(existsSync(join(dir, "y.cbin")) && existsSync(join(dir, "y.ch"))).toBe(true);
  });

  test("bad input: wrong -n, a non-integer -c, a missing file: non-zero exit, one line", async () => {
    const bin = join(dir, "z.bin");
    writeFileSync(bin, new Uint8Array(4 * 2 * 10 + 2));
    const wrong = await runCli("mtscomp", [bin, "-d", "int16", "-s", "1000", "-n", "4"], { env });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr.trim().split("\n")).toHaveLength(1);
    expect(wrong.stderr).toMatch(/InputError: .*is incompatible with the specified parameters \(n_channels=4, dtype=int16\)/);
    const chunk = await runCli("mtscomp", [bin, "-d", "int16", "-s", "1000", "-n", "4", "-c", "0.5"], { env });
    expect(chunk.code).toBe(2);
    expect(chunk.stderr).toMatch(/-c: invalid int value "0.5"/);
    expect((await runCli("mtsdecomp", [join(dir, "missing.cbin")], { env })).code).toBe(1);
  });
});
