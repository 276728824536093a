/**
 * Workers in Node: worker threads. This is the `#worker-host` module Node picks (bundlers for
 * browsers pick ../pool/worker-host-web.ts), and `nodeWorker` lets other packages run their own
 * job functions on the same pool.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { WorkerHandle } from "../pool/worker-pool.js";

/** The number of workers to use when none is given: the machine's cores. */
export function defaultWorkerCount(): number {
  return availableParallelism();
}

/**
 * A worker thread running the module at `url` (which calls `serveJobs` with `parentPort`). From
 * TypeScript sources (tests and benchmarks under tsx), a `.ts` module is loaded through tsx's
 * loader, which a worker does not inherit on Node 20.
 */
export function nodeWorker(url: URL): WorkerHandle {
  const worker = url.pathname.endsWith(".ts")
    ? new Worker(`import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`, { eval: true })
    : new Worker(url);
  worker.unref();
  return {
    postMessage: (message, transfer) => worker.postMessage(message, transfer),
    onMessage: (listener) => worker.on("message", listener),
    onExit: (listener) => {
      worker.on("error", (err) => listener(`the worker failed: ${err.message}`));
      worker.on("exit", (code) => listener(`the worker exited with code ${code}`));
    },
    terminate: () => worker.terminate(),
    setKeepsProcessAlive: (keep) => (keep ? worker.ref() : worker.unref()),
  };
}

/** Starts a worker thread serving FlacArray's jobs. */
export function startArrayWorker(): WorkerHandle {
  const ext = import.meta.url.endsWith(".ts") ? "ts" : "js";
  return nodeWorker(new URL(`./thread-worker.${ext}`, import.meta.url));
}
