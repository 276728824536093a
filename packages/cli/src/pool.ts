/**
 * A pool of worker threads running the jobs of jobs.ts. Jobs go to the first idle worker; each
 * returns a promise of its result. Chunks compressed on any worker give the same bytes, so the
 * output does not depend on the number of workers.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { InvalidStreamError } from "@flacarray/core";
import type { DecodeJob, DecodeResult, EncodeJob, EncodeResult } from "./jobs.js";

type Pending = { resolve: (r: never) => void; reject: (e: Error) => void };

/** The default number of workers: the machine's cores. */
export const defaultWorkers = () => availableParallelism();

/**
 * A worker running worker.ts: built, `dist/worker.mjs` beside this bundle; from the TypeScript
 * sources (tests, benchmarks under tsx), `src/worker.ts` loaded through tsx's loader, which
 * `--import tsx` in a worker's execArgv does not install on Node 20.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith(".ts")) return new Worker(new URL("./worker.mjs", import.meta.url));
  const source = new URL("./worker.ts", import.meta.url).href;
  return new Worker(`import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`, { eval: true });
}

/** Worker threads that compress and decode chunks. */
export class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { message: unknown; transfer: ArrayBuffer[]; pending: Pending }[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly busy = new Map<Worker, number>();
  private nextId = 0;

  constructor(size: number) {
    for (let i = 0; i < Math.max(1, size); i++) {
      const worker = startWorker();
      worker.on("message", (message) => this.settle(worker, message));
      worker.on("error", (err) => this.fail(worker, err));
      worker.unref();
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  /** Compresses a chunk on a worker. The rows' buffer is transferred (unusable afterwards). */
  encode(job: EncodeJob): Promise<EncodeResult> {
    return this.run(job, [job.rows.buffer as ArrayBuffer]);
  }

  /** Decodes streams on a worker. */
  decode(job: DecodeJob): Promise<DecodeResult> {
    return this.run(job, []);
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private run<T>(job: EncodeJob | DecodeJob, transfer: ArrayBuffer[]): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const pending = { resolve: resolve as (r: never) => void, reject };
      const id = this.nextId++;
      this.queue.push({ message: { id, job }, transfer, pending });
      this.pending.set(id, pending);
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop() as Worker;
      const { message, transfer } = this.queue.shift() as (typeof this.queue)[number];
      this.busy.set(worker, (message as { id: number }).id);
      worker.ref();
      worker.postMessage(message, transfer);
    }
  }

  private settle(worker: Worker, message: { id: number; result?: unknown; error?: Record<string, unknown> }): void {
    const pending = this.pending.get(message.id);
    this.pending.delete(message.id);
    this.busy.delete(worker);
    worker.unref();
    this.idle.push(worker);
    if (message.error) {
      const e = message.error;
      pending?.reject(
        e.name === "InvalidStreamError"
          ? new InvalidStreamError(String(e.reason), Number(e.stream), Number(e.byteOffset), { path: e.path as string | undefined })
          : Object.assign(new Error(String(e.message)), { name: String(e.name) }),
      );
    } else pending?.resolve(message.result as never);
    this.dispatch();
  }

  private fail(worker: Worker, err: Error): void {
    const id = this.busy.get(worker);
    if (id !== undefined) this.pending.get(id)?.reject(err);
  }
}
