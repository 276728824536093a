// Runs every example in this folder as its own process, two at a time (most of their time is
// process start-up), prints each one's output in order, and fails if any fails (CI runs this).
import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const examples = readdirSync(here)
  .filter((f) => f.endsWith(".ts") && f !== "run-all.ts")
  .sort();
const start = (i: number) => run(process.execPath, ["--import", "tsx", join(here, examples[i] as string)], { maxBuffer: 64 * 1024 * 1024 });
// example i starts when example i - 2 has ended: two run at any time
const outputs: Promise<{ stdout: string; stderr: string }>[] = [];
for (let i = 0; i < examples.length; i++) {
  outputs.push(i < 2 ? start(i) : (outputs[i - 2] as Promise<unknown>).catch(() => undefined).then(() => start(i)));
}
for (const [i, output] of outputs.entries()) {
  console.log(`--- examples/${examples[i]}`);
  try {
    const { stdout, stderr } = await output;
    process.stdout.write(stdout);
    process.stderr.write(stderr);
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    process.stdout.write(e.stdout ?? "");
    process.stderr.write(e.stderr ?? "");
    console.error(`examples/${examples[i]} failed: ${e.message}`);
    process.exitCode = 1;
  }
}
console.log(`${examples.length} examples ran`);
