/**
 * A worker-thread rehearsal of reading an HDF5 file. h5wasm is synchronous C: on some corrupt
 * files HDF5 2.0.0 (wasm32) spins forever (a flipped byte in a global heap object's size, say)
 * or aborts, and nothing can interrupt a synchronous call on the calling thread. So before a
 * file is opened there, a worker opens it and touches everything the readers touch (every
 * attribute value, dataset metadata, small datasets whole and the ends of large ones) under a
 * deadline. A worker that does not finish in time is terminated, and the open fails with a typed
 * error instead of hanging.
 */
import { Worker } from "node:worker_threads";
import { InvalidFormatError } from "@flacarray/core";

/** Datasets up to this size are read whole by the rehearsal; larger ones at their two ends. */
const WHOLE_DATASET_BYTES = 16 * 1024 * 1024;
/** Objects visited at most (hard links can make cycles). */
const MAX_OBJECTS = 100_000;

/** The h5wasm module surface the rehearsal uses. */
interface H5Module {
  ready: Promise<{ activate_throwing_error_handler: () => void }>;
  File: new (path: string, mode: "r") => H5Entity;
}

/** The h5wasm entity surface the rehearsal uses. */
interface H5Entity {
  attrs: Record<string, { value: unknown }>;
  keys?: () => string[];
  get?: (name: string) => H5Entity | null;
  create_group?: unknown;
  metadata?: { size: number; total_size: number; shape: number[] | null };
  value?: unknown;
  slice?: (ranges: [number, number][]) => unknown;
  close?: () => void;
}

/**
 * Opens `path` with h5wasm and touches what the readers touch. It runs in the worker from its
 * source text, so it uses nothing from outside its parameters. HDF5's errors are ignored here:
 * on the calling thread the readers turn them into typed errors; only hangs and aborts matter.
 */
async function rehearse(h5wasm: H5Module, path: string, wholeBytes: number, maxObjects: number): Promise<void> {
  const module = await h5wasm.ready;
  module.activate_throwing_error_handler();
  const attempt = (run: () => unknown) => {
    try {
      run();
    } catch {
      // an error, not a hang: the calling thread will report it
    }
  };
  let seen = 0;
  const visit = (entity: H5Entity | null, depth: number): void => {
    if (entity === null || ++seen > maxObjects || depth > 64) return;
    attempt(() => {
      for (const attribute of Object.values(entity.attrs)) attempt(() => attribute.value);
    });
    if (typeof entity.create_group === "function") {
      let names: string[] = [];
      attempt(() => {
        names = entity.keys?.() ?? [];
      });
      for (const name of names) attempt(() => visit(entity.get?.(name) ?? null, depth + 1));
    } else if (entity.metadata) {
      attempt(() => {
        const { size, total_size, shape } = entity.metadata as NonNullable<H5Entity["metadata"]>;
        if (size * total_size <= wholeBytes) return entity.value;
        if (shape?.length === 1 && entity.slice) {
          entity.slice([[0, 1]]);
          entity.slice([[total_size - 1, total_size]]);
        }
        return undefined;
      });
    }
  };
  const file = new h5wasm.File(path, "r");
  try {
    visit(file, 0);
  } finally {
    attempt(() => file.close?.());
  }
}

/** The rehearsal worker: started on first use, kept (unreferenced) for the next files, replaced when it has to be stopped. */
let current: Worker | undefined;

function rehearsalWorker(): Worker {
  if (current) return current;
  // \`__name\`: esbuild (tsx, bundles) may wrap functions in it to keep their names
  const code = `
    const __name = (f) => f;
    const { parentPort, workerData: w } = require("node:worker_threads");
    const rehearse = ${rehearse.toString()};
    const loading = import(w.h5wasmUrl).then((m) => m.default);
    parentPort.on("message", ({ id, path }) => {
      loading
        .then((h5wasm) => rehearse(h5wasm, path, w.wholeBytes, w.maxObjects))
        .then(() => parentPort.postMessage({ id }), (e) => parentPort.postMessage({ id, note: String(e) }));
    });
  `;
  const workerData = { h5wasmUrl: import.meta.resolve("h5wasm/node"), wholeBytes: WHOLE_DATASET_BYTES, maxObjects: MAX_OBJECTS };
  const worker = new Worker(code, { eval: true, workerData });
  worker.unref();
  worker.on("error", () => undefined); // it then exits, and the waiting rehearsal reports that
  worker.once("exit", () => {
    if (current === worker) current = undefined;
  });
  current = worker;
  return worker;
}

let nextId = 0;

/**
 * Rehearses reading `path` on a worker thread, within `timeoutMs`.
 * @throws {InvalidFormatError} naming the file when HDF5 does not finish in time or aborts
 */
export async function rehearseRead(path: string, timeoutMs: number): Promise<void> {
  const worker = rehearsalWorker();
  const id = nextId++;
  let timer: NodeJS.Timeout | undefined;
  let onMessage: ((m: { id: number }) => void) | undefined;
  let onExit: ((code: number) => void) | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => {
        current = undefined;
        void worker.terminate();
        reject(
          new InvalidFormatError(
            path,
            `HDF5 did not finish reading its metadata within ${timeoutMs} ms: the file is probably corrupt (option timeoutMs)`,
          ),
        );
      }, timeoutMs);
      onMessage = (m) => {
        if (m.id === id) resolve();
      };
      onExit = (code) => reject(new InvalidFormatError(path, `HDF5 stopped on it (exit code ${code})`));
      worker.on("message", onMessage);
      worker.once("exit", onExit);
      worker.postMessage({ id, path });
    });
  } finally {
    clearTimeout(timer);
    if (onMessage) worker.off("message", onMessage);
    if (onExit) worker.off("exit", onExit);
  }
}
