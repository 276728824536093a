// One thread of bench/independent-threads.ts: given an array and a call, it runs the call once to
// warm up, says "ready", and on "go" times `repeats` runs and posts their seconds.
import { parentPort } from "node:worker_threads";
import { FlacArray } from "@flacarray/core";
import type { IndependentTask } from "./independent-threads.js";

/** What the thread is given first. */
export interface IndependentThreadInput {
  data: Int32Array;
  shape: number[];
  task: IndependentTask;
  repeats: number;
}

const port = parentPort;
if (!port) throw new Error("bench/independent-thread.ts runs as a worker thread");
port.once("message", ({ data, shape, task, repeats }: IndependentThreadInput) => {
  const arr = { data, shape };
  const fa = FlacArray.fromArray(arr, { level: 5 });
  const run = task === "fromArray" ? () => FlacArray.fromArray(arr, { level: 5 }) : () => fa.toArray();
  run();
  port.postMessage("ready");
  port.once("message", () => {
    const seconds: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const t = performance.now();
      run();
      seconds.push((performance.now() - t) / 1000);
    }
    port.postMessage(seconds);
  });
});
