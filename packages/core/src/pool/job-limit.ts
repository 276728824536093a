/**
 * How many workers one call uses. The shared pool grows to the most workers any call has asked
 * for, and sends each job to any idle worker; a call that asked for fewer (`workers: 1` after a
 * call on 2) would otherwise spread its jobs over them all.
 */
import type { WorkerPool } from "./worker-pool.js";

/** At most `limit` of one call's jobs running at once, on a pool of more workers than that. */
export class JobLimit {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  /**
   * Runs a job on `pool` (see {@link WorkerPool.run}) once fewer than `limit` of this call's jobs
   * are running there. On a pool of no more workers than `limit` it is sent at once: the pool
   * queues it, and hands it to a worker the moment one is free.
   */
  async run<T>(pool: WorkerPool, name: string, input: unknown, transfer?: ArrayBuffer[]): Promise<T> {
    if (pool.size > this.limit) {
      while (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.running++;
    try {
      return await pool.run<T>(name, input, transfer);
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}
