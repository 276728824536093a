// The README's `flacarray` commands, run exactly as shown (through `npx -y pnpm@10 exec`, from the
// repository root, on the real recording in ../shared/realdata), so that they keep working.
import { execSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const readme = readFileSync(join(root, "README.md"), "utf8");

/** The lines of the `sh` block under a README heading. */
function commandsUnder(heading: string): string[] {
  const section = readme.slice(readme.indexOf(heading));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
  return block.split("\n").filter((line) => line.trim() !== "");
}

const commands = commandsUnder("## The `flacarray` command");
/** What the commands write, in the repository root: removed before and after. */
const outputs = commands.flatMap((line) => [...line.matchAll(/-o (\S+)/g)].map((m) => join(root, m[1])));
const clean = () => {
  for (const path of outputs) rmSync(path, { recursive: true, force: true });
};
afterAll(clean);

test("the README shows flacarray commands that write outputs", () => {
  expect(commands.length).toBeGreaterThanOrEqual(2);
  expect(commands.every((line) => line.startsWith("npx -y pnpm@10 exec flacarray "))).toBe(true);
  expect(outputs.length).toBe(commands.length);
});

test.skipIf(!existsSync(join(root, "..", "shared", "realdata")))("they run as shown, after the Quick start", () => {
  clean();
  for (const line of commands) execSync(line, { cwd: root, stdio: "pipe" });
  for (const path of outputs) expect(statSync(path).size, path).toBeGreaterThan(0);
  // channels 0:2 of 1 s at 15 kHz, int16
  expect(statSync(outputs[1]).size).toBe(2 * 15000 * 2);
});
