// What this machine's cores give at once, as a ceiling for the async (worker) calls: one worker
// thread per core, each running the synchronous FlacArray call on its own copy of the array, all
// started together. Their summed throughput is what perfect parallel code could reach in this
// run; on a shared VM one core can run a third slower than the other for minutes at a time, so a
// speed-up over one thread alone means little without it.
import { nodeWorker } from "@flacarray/core/node";
import type { IndependentThreadInput } from "./independent-thread.js";
import { median } from "./setup.js";

/** The call each thread repeats: compressing (verified, level 5) or decompressing the array. */
export type IndependentTask = "fromArray" | "toArray";

/**
 * Runs `task` on `threads` worker threads at once, `repeats` times each.
 * @returns the summed MB/s of the threads (each thread's median time over `rawMB`)
 */
export async function independentThreadsMBs(
  data: Int32Array,
  shape: number[],
  rawMB: number,
  task: IndependentTask,
  threads: number,
  repeats: number,
): Promise<number> {
  const workers = Array.from({ length: threads }, () => nodeWorker(new URL("./independent-thread.ts", import.meta.url)));
  try {
    /** The next message of each worker (or the reason it stopped). */
    const next = () =>
      Promise.all(
        workers.map(
          (w) =>
            new Promise<unknown>((resolve, reject) => {
              w.onMessage(resolve);
              w.onExit((reason) => reject(new Error(reason)));
            }),
        ),
      );
    const ready = next();
    for (const w of workers) w.postMessage({ data, shape, task, repeats } satisfies IndependentThreadInput, []);
    await ready;
    const results = next();
    for (const w of workers) w.postMessage("go", []);
    const seconds = (await results) as number[][];
    return seconds.reduce((sum, s) => sum + rawMB / median(s), 0);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
