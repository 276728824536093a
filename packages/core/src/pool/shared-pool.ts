/**
 * The pool behind FlacArray's async methods (and the HDF5 and Zarr readers and writers): started
 * on first use, grown when a call asks for more workers, shared by every call. Its idle workers
 * do not keep a Node process alive.
 */
import { defaultWorkerCount, startArrayWorker } from "#worker-host";
import { InvalidArgumentError } from "../errors.js";
import { WorkerPool } from "./worker-pool.js";

let shared: WorkerPool | undefined;

/**
 * The number of workers a call uses: `workers` when given (a positive integer), else the cores.
 * @throws {InvalidArgumentError} for anything but a positive integer
 */
export function workerCount(workers: number | undefined): number {
  const n = workers ?? defaultWorkerCount();
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`workers must be a positive integer, found ${workers}`);
  return n;
}

/** The shared pool, with room for at least `size` workers. */
export function sharedPool(size: number): WorkerPool {
  if (!shared || shared.size < size) {
    const old = shared;
    shared = new WorkerPool(size, startArrayWorker);
    // jobs already sent to the old pool finish there; it stops when they have
    if (old) void old.closeWhenIdle();
  }
  return shared;
}

/**
 * Starts `workers` workers of the shared pool now (default: one per core), instead of on the
 * first decode or compression: a page that will decode soon overlaps their loading with its own.
 */
export function startWorkers(workers?: number): void {
  sharedPool(workerCount(workers)).warm();
}

/** Stops the shared pool's workers (a new call starts them again). */
export async function closeWorkers(): Promise<void> {
  const pool = shared;
  shared = undefined;
  await pool?.close();
}

/**
 * Runs `task` on every item with at most `limit` in flight; rejects with the first failure, after
 * the tasks in flight have settled.
 */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: unknown;
  const lane = async () => {
    while (next < items.length && failure === undefined) {
      const i = next++;
      try {
        await task(items[i] as T, i);
      } catch (err) {
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failure !== undefined) throw failure;
}
