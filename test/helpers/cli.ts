import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const DIST = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "packages", "cli", "dist");

/** The path of a built command (`pnpm run build` bundles them into packages/cli/dist). */
export function builtCommand(name: "flacarray" | "mtscomp" | "mtsdecomp" | "mtsdesc"): string {
  const path = join(DIST, `${name}.mjs`);
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`pnpm run build\` first`);
  return path;
}

/** What a command run printed and returned. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a built command as a child process, as a user would, and waits for it. */
export function runCli(
  name: Parameters<typeof builtCommand>[0],
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [builtCommand(name), ...args], { ...options, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Starts a built command without waiting (to kill it half-way). */
export function startCli(name: Parameters<typeof builtCommand>[0], args: string[], options: { cwd?: string } = {}): ChildProcess {
  return spawn(process.execPath, [builtCommand(name), ...args], { ...options, stdio: ["ignore", "pipe", "pipe"] });
}
