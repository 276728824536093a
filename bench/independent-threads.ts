// What this machine's cores give at once, as a ceiling for the async (worker) calls: one worker
// thread per core, each running the synchronous FlacArray call on its own copy of the array, all
// started together. Their summed throughput is what perfect parallel code could reach in this
// run; on a shared VM one core can run a third slower than the other for minutes at a time, so a
// speed-up over one thread alone means little without it.
import { Worker } from "node:worker_threads";
import { median } from "./setup.js";

/** The call each thread repeats: compressing (verified, level 5) or decompressing the array. */
export type IndependentTask = "fromArray" | "toArray";

const THREAD = `(async () => {
const { parentPort, workerData } = await import("node:worker_threads");
const tsx = await import("tsx/esm/api");
tsx.register();
const { FlacArray } = await import(workerData.core);
const arr = { data: workerData.data, shape: workerData.shape };
const fa = FlacArray.fromArray(arr, { level: 5 });
const run = workerData.task === "fromArray" ? () => FlacArray.fromArray(arr, { level: 5 }) : () => fa.toArray();
run();
parentPort.postMessage("ready");
parentPort.once("message", () => {
  const seconds = [];
  for (let r = 0; r < workerData.repeats; r++) {
    const t = performance.now();
    run();
    seconds.push((performance.now() - t) / 1000);
  }
  parentPort.postMessage(seconds);
});
})();
`;

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
  const core = import.meta.resolve("@flacarray/core");
  const workers = Array.from(
    { length: threads },
    () => new Worker(THREAD, { eval: true, workerData: { core, data, shape, task, repeats } }),
  );
  try {
    const message = (w: Worker) =>
      new Promise<unknown>((resolve, reject) => {
        w.once("message", resolve);
        w.once("error", reject);
      });
    await Promise.all(workers.map(message));
    const results = workers.map(message);
    for (const w of workers) w.postMessage("go");
    const seconds = (await Promise.all(results)) as number[][];
    return seconds.reduce((sum, s) => sum + rawMB / median(s), 0);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
