/**
 * The command line's workers: core's {@link WorkerPool} running this package's chunk jobs
 * (jobs.ts, served by worker.ts). Chunks compressed on any worker give the same bytes, so the
 * output does not depend on the number of workers.
 */
import { WorkerPool } from "@flacarray/core";
import { defaultWorkerCount, nodeWorker } from "@flacarray/core/node";
import type { DecodeJob, DecodeResult, EncodeJob, EncodeResult } from "./jobs.js";

/** The default number of workers: the machine's cores. */
export const defaultWorkers = defaultWorkerCount;

/** Built, `dist/worker.mjs` beside this bundle; from the TypeScript sources, `src/worker.ts`. */
const WORKER = new URL(import.meta.url.endsWith(".ts") ? "./worker.ts" : "./worker.mjs", import.meta.url);

/** Worker threads that compress and decode the time chunks of recordings. */
export class ChunkWorkers {
  private readonly pool: WorkerPool;

  constructor(size: number) {
    this.pool = new WorkerPool(Math.max(1, size), () => nodeWorker(WORKER));
  }

  /** Compresses a chunk on a worker. The rows' buffer is moved there (unusable afterwards). */
  encode(job: EncodeJob): Promise<EncodeResult> {
    return this.pool.run("encodeChunk", job, [job.rows.buffer as ArrayBuffer]);
  }

  /** Decodes streams on a worker. */
  decode(job: DecodeJob): Promise<DecodeResult> {
    return this.pool.run("decodeChunk", job);
  }

  /** Stops every worker. */
  close(): Promise<void> {
    return this.pool.close();
  }
}
