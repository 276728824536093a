/**
 * The worker side of {@link WorkerPool}: receives jobs, calls the named function, posts its value
 * back (moving the buffers it lists), or the error it threw with its type and fields.
 */
import type { JobMessage, ResultMessage, SerializedError } from "./worker-pool.js";

/** What a job function returns: its value, and the buffers to move (not copy) back. */
export interface JobOutput<T> {
  value: T;
  transfer?: ArrayBuffer[];
}

/** The functions a worker serves, by name. Each takes one structured-cloneable input. */
export type JobFunctions = Record<string, (input: never) => JobOutput<unknown> | Promise<JobOutput<unknown>>>;

/** How a worker talks to the thread that started it (`self` in a Web Worker, `parentPort` in Node). */
export interface WorkerPort {
  postMessage(message: ResultMessage, transfer: ArrayBuffer[]): void;
  onMessage(listener: (message: JobMessage) => void): void;
}

/** An error as it crosses to the pool, keeping the fields of flacarray errors. */
export function serializeError(err: unknown): SerializedError {
  const e = err as Partial<SerializedError> & { name?: string; message?: string };
  return {
    name: String(e?.name ?? typeof err),
    message: String(e?.message ?? err),
    reason: e?.reason,
    stream: e?.stream,
    byteOffset: e?.byteOffset,
    path: e?.path,
  };
}

/** Serves `functions` on `port`, one job at a time, in the order they arrive. */
export function serveJobs(port: WorkerPort, functions: JobFunctions): void {
  let chain = Promise.resolve();
  port.onMessage((message) => {
    chain = chain.then(async () => {
      try {
        const run = functions[message.name];
        if (!run) throw new Error(`this worker has no job named ${message.name}`);
        const { value, transfer } = await run(message.input as never);
        port.postMessage({ id: message.id, value }, transfer ?? []);
      } catch (err) {
        port.postMessage({ id: message.id, error: serializeError(err) }, []);
      }
    });
  });
}
