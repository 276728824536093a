// The installed bins (packages/cli/bin/*.mjs): on Linux they run the command in a child process
// whose malloc uses huge pages, pass signals on, and return the command's exit code.
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { runCli } from "../helpers/cli.js";
import { MTSCOMP_FIXTURES } from "../helpers/mtscomp-fixtures.js";

const BIN = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "packages", "cli", "bin", "flacarray.mjs");
const CBIN = join(MTSCOMP_FIXTURES, "comp_level_9", "comp_level_9.cbin");

/** Starts `flacarray view` through the bin, with GLIBC_TUNABLES and Node options as given; resolves once it prints its URL. */
async function startView(tunables?: string, nodeOptions: string[] = []): Promise<ChildProcess> {
  const env = { ...process.env, GLIBC_TUNABLES: tunables };
  const launcher = spawn(process.execPath, [...nodeOptions, BIN, "view", CBIN, "--no-open"], { env, stdio: ["ignore", "pipe", "pipe"] });
  await new Promise<string>((resolve, reject) => {
    createInterface({ input: launcher.stdout as NodeJS.ReadableStream }).once("line", resolve);
    launcher.once("exit", (code) => reject(new Error(`exited with ${code}`)));
  });
  return launcher;
}

/** Pids of the processes whose parent is `pid` (from /proc). */
function childrenOf(pid: number): number[] {
  return readdirSync("/proc")
    .filter((n) => /^\d+$/.test(n))
    .filter((n) => {
      try {
        // "pid (comm) state ppid ...": comm may hold spaces, so split after its closing parenthesis
        const stat = readFileSync(`/proc/${n}/stat`, "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid;
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

/** The environment of process `pid`. */
function environOf(pid: number): string[] {
  return readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
}

/** Resolves to the exit code and signal of a process. */
function exited(p: ChildProcess): Promise<[number | null, string | null]> {
  return new Promise((resolve) => p.once("exit", (code, signal) => resolve([code, signal])));
}

describe.skipIf(process.platform !== "linux")("the installed bins", () => {
  test("run the command in a child with huge pages for malloc; SIGTERM to the bin alone reaches it", async () => {
    const launcher = await startView();
    const [child] = childrenOf(launcher.pid as number);
    expect(child).toBeGreaterThan(0);
    expect(environOf(child as number)).toContain("GLIBC_TUNABLES=glibc.malloc.hugetlb=1");
    const ended = exited(launcher);
    launcher.kill("SIGTERM");
    expect(await ended).toStrictEqual([0, null]); // view stops cleanly on SIGTERM
    expect(childrenOf(launcher.pid as number)).toStrictEqual([]);
  });

  test("a GLIBC_TUNABLES that sets hugetlb is the user's choice: the command runs in the bin's own process", async () => {
    const launcher = await startView("glibc.malloc.hugetlb=0");
    expect(childrenOf(launcher.pid as number)).toStrictEqual([]);
    const ended = exited(launcher);
    launcher.kill("SIGTERM");
    expect(await ended).toStrictEqual([0, null]);
  });

  test("under a debugger the command runs in the bin's own process, where the debugger is attached", async () => {
    const launcher = await startView(undefined, ["--inspect=127.0.0.1:0"]);
    expect(childrenOf(launcher.pid as number)).toStrictEqual([]);
    const ended = exited(launcher);
    launcher.kill("SIGTERM");
    expect(await ended).toStrictEqual([0, null]);
  });

  test("exit code and messages are the command's", async () => {
    const missing = join(MTSCOMP_FIXTURES, "no-such-file.h5");
    const direct = await runCli("flacarray", ["info", missing]);
    const viaBin = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const p = spawn(process.execPath, [BIN, "info", missing], { stdio: ["ignore", "pipe", "pipe"] });
      let stderr = "";
      p.stderr.on("data", (d) => {
        stderr += d;
      });
      p.once("exit", (code) => resolve({ code, stderr }));
    });
    expect(direct.code).toBeGreaterThan(0);
    expect(viaBin).toStrictEqual({ code: direct.code, stderr: direct.stderr });
  });
});
