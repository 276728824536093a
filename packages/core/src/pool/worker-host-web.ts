/**
 * Workers in browsers (and other hosts with Web Workers): the `#worker-host` module that
 * bundlers pick outside Node. Bundle `./web-worker.js` beside the code that imports this (Vite
 * does it by itself for `new Worker(new URL(...), { type: "module" })`).
 */
import { WorkerError } from "../errors.js";
import type { WorkerHandle } from "./worker-pool.js";

/** The number of workers to use when none is given: the browser's logical cores. */
export function defaultWorkerCount(): number {
  return Math.max(1, (globalThis.navigator as { hardwareConcurrency?: number } | undefined)?.hardwareConcurrency ?? 1);
}

/** Starts a module Web Worker serving FlacArray's jobs. */
export function startArrayWorker(): WorkerHandle {
  if (typeof Worker === "undefined") throw new WorkerError("this environment has no Web Workers");
  const worker = new Worker(new URL("./web-worker.js", import.meta.url), { type: "module" });
  return {
    postMessage: (message, transfer) => worker.postMessage(message, transfer),
    onMessage: (listener) => worker.addEventListener("message", (e) => listener(e.data)),
    onExit: (listener) => {
      worker.addEventListener("error", (e) => listener(`the worker failed: ${e.message || "it could not be loaded"}`));
      worker.addEventListener("messageerror", () => listener("a message from the worker could not be read"));
    },
    terminate: () => worker.terminate(),
  };
}
