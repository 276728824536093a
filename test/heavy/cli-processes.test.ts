// The built commands as processes on a terminal and under signals: slow (each makes a recording of
// tens of MB), so in the heavy suite.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { builtCommand, startCli } from "../helpers/cli.js";
import { writeRawRecording } from "../helpers/recordings.js";
import { tempDir } from "../helpers/temp.js";

const dir = tempDir("flacarray-cli-processes-");
const CLI_PACKAGE = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "packages", "cli");

describe("the built commands as processes", () => {
  test.each([
    ["SIGKILL", "dist/flacarray.mjs"],
    ["SIGINT", "dist/flacarray.mjs"],
    ["SIGINT", "bin/flacarray.mjs"], // the installed bin, which runs the command in a child: the signal is passed on
  ] as const)("a run stopped half-way (%s to %s) leaves no output that looks complete", async (signal, entry) => {
    const big = join(dir, "big.bin");
    if (!existsSync(big)) writeRawRecording(big, 30 * 30000, 64);
    const out = join(dir, `killed-${signal}-${entry.split("/")[0]}.zarr`);
    const args = ["compress", big, "-o", out, "-n", "64", "-s", "30000", "--workers", "1"];
    const child = entry.startsWith("bin/")
      ? spawn(process.execPath, [join(CLI_PACKAGE, entry), ...args], { stdio: ["ignore", "pipe", "pipe"] })
      : startCli("flacarray", args);
    // stop it once it is writing (its temporary store exists), whatever the machine's load
    const partial = `${basename(out)}.partial`;
    const writing = () => readdirSync(dir).some((n) => n.startsWith(partial));
    for (let waited = 0; !writing() && waited < 30_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    expect(writing()).toBe(true);
    child.kill(signal);
    const code = await new Promise((r) => child.once("exit", r));
    expect(existsSync(out)).toBe(false);
    const leftovers = readdirSync(dir).filter((n) => n.startsWith(partial));
    // SIGINT cleans up its temporary store; SIGKILL cannot, but its name says it is partial
    if (signal === "SIGINT") {
      expect(leftovers).toEqual([]);
      expect(code).toBe(130);
    }
  });
  test.skipIf(spawnSync("script", ["--version"]).status !== 0)("progress bars on a terminal show the rate in MB/s of raw data", () => {
    const big = join(dir, "big.bin");
    writeRawRecording(big, 20 * 30000, 16); // 19 MB
    const cbin = join(dir, "big.cbin");
    const run = (args: string[]) => {
      const command = [process.execPath, ...args].map((a) => `'${a}'`).join(" ");
      return spawnSync("script", ["-qec", command, "/dev/null"], { encoding: "utf8" }).stdout.replaceAll("\r", "\n");
    };
    for (const screen of [
      run([builtCommand("mtscomp"), big, cbin, join(dir, "big.ch"), "-n", "16", "-s", "30000", "-d", "int16"]),
      run([builtCommand("mtsdecomp"), cbin, "-o", join(dir, "big-back.bin")]),
    ]) {
      const rates = [...screen.matchAll(/ (\d+\.\d) MB\/s/g)].map((m) => Number(m[1]));
      expect(rates.length, screen).toBeGreaterThan(0);
      expect(Math.max(...rates), screen).toBeGreaterThan(1);
    }
  });
});
