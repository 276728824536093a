/**
 * The project's one pool of workers: Web Workers in browsers, worker threads in Node. Each worker
 * runs a set of named job functions (./serve-jobs.ts); `run` sends a job to the first idle worker
 * and returns a promise of its result. A worker that crashes or exits fails its job with a
 * {@link WorkerError} and is replaced; errors thrown by a job keep their flacarray type.
 */
import {
  type FlacArrayError,
  InvalidArgumentError,
  InvalidFormatError,
  InvalidSelectionError,
  InvalidStreamError,
  QuantizationError,
  ReadError,
  WorkerError,
} from "../errors.js";

/** What the pool needs of a worker, whatever the platform. */
export interface WorkerHandle {
  postMessage(message: unknown, transfer: ArrayBuffer[]): void;
  /** Calls `listener` with each message the worker posts. */
  onMessage(listener: (message: unknown) => void): void;
  /** Calls `listener` when the worker fails or exits: it can run no more jobs. */
  onExit(listener: (reason: string) => void): void;
  terminate(): unknown;
  /** Node: whether an idle worker may let the process exit (it should). */
  setKeepsProcessAlive?(keep: boolean): void;
}

/** Starts one worker. */
export type StartWorker = () => WorkerHandle;

/** A job's message: which function of the worker to call, with what. */
export interface JobMessage {
  id: number;
  name: string;
  input: unknown;
}

/** An error as it crosses back from a worker. */
export interface SerializedError {
  name: string;
  message: string;
  reason?: string;
  stream?: number;
  byteOffset?: number;
  path?: string;
}

/** A worker's answer to one job. */
export type ResultMessage = { id: number; value: unknown } | { id: number; error: SerializedError };

interface Job {
  message: JobMessage;
  transfer: ArrayBuffer[];
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

/** The flacarray error a worker threw, rebuilt with its type and fields; others become a {@link WorkerError}. */
export function reviveError(e: SerializedError): FlacArrayError<string> {
  switch (e.name) {
    case "InvalidStreamError":
      return new InvalidStreamError(e.reason ?? e.message, e.stream ?? -1, e.byteOffset ?? 0, { path: e.path });
    case "InvalidFormatError":
      return new InvalidFormatError(e.path ?? "", e.reason ?? e.message);
    case "ReadError":
      return new ReadError(e.path ?? "", e.reason ?? e.message);
    case "QuantizationError":
      return new QuantizationError(e.message);
    case "InvalidArgumentError":
      return new InvalidArgumentError(e.message);
    case "InvalidSelectionError":
      return new InvalidSelectionError(e.message);
    default:
      return new WorkerError(`a job failed on a worker: ${e.name}: ${e.message}`);
  }
}

/** Workers that run jobs; see the module comment. */
export class WorkerPool {
  private readonly workers = new Set<WorkerHandle>();
  private readonly idle: WorkerHandle[] = [];
  private readonly running = new Map<WorkerHandle, Job>();
  private readonly queue: Job[] = [];
  private nextId = 0;
  private closed = false;
  private closing = false;

  /**
   * @param size - the number of workers (at least 1)
   * @param start - starts one worker that serves the jobs this pool will be sent
   */
  constructor(
    readonly size: number,
    private readonly start: StartWorker,
  ) {
    if (!Number.isSafeInteger(size) || size < 1) throw new InvalidArgumentError(`workers must be a positive integer, found ${size}`);
  }

  /**
   * Runs the worker function `name` on `input`. Buffers in `transfer` move to the worker (they
   * are unusable here afterwards).
   * @throws {WorkerError} when the worker dies during the job, or the pool is closed
   * @throws the flacarray error the job threw, with its type
   */
  run<T>(name: string, input: unknown, transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.closed || this.closing) return Promise.reject(new WorkerError("the worker pool is closed"));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ message: { id: this.nextId++, name, input }, transfer, resolve: resolve as (v: unknown) => void, reject });
      this.dispatch();
    });
  }

  /**
   * Starts the workers not started yet, without jobs (they start on the first jobs otherwise), so
   * that loading them overlaps other work. A worker that cannot start fails its first job.
   */
  warm(): void {
    while (!this.closed && !this.closing && this.workers.size < this.size && this.queue.length === 0) {
      const worker = this.spawn();
      if (!worker) return;
      this.idle.push(worker);
    }
  }

  /** Stops every worker; jobs still queued or running fail with a {@link WorkerError}. */
  async close(): Promise<void> {
    this.closed = true;
    const stopped = new WorkerError("the worker pool was closed");
    for (const job of this.queue.splice(0)) job.reject(stopped);
    for (const job of this.running.values()) job.reject(stopped);
    this.running.clear();
    const all = [...this.workers];
    this.workers.clear();
    this.idle.length = 0;
    await Promise.all(all.map((w) => w.terminate()));
  }

  /** Stops taking jobs, and stops the workers once the jobs already sent have finished. */
  closeWhenIdle(): Promise<void> {
    this.closing = true;
    return this.running.size === 0 && this.queue.length === 0 ? this.close() : Promise.resolve();
  }

  private dispatch(): void {
    while (this.queue.length > 0 && !this.closed) {
      const worker = this.idle.pop() ?? (this.workers.size < this.size ? this.spawn() : undefined);
      if (!worker) return;
      const job = this.queue.shift() as Job;
      this.running.set(worker, job);
      worker.setKeepsProcessAlive?.(true);
      try {
        worker.postMessage(job.message, job.transfer);
      } catch (err) {
        this.running.delete(worker);
        this.idle.push(worker);
        worker.setKeepsProcessAlive?.(false);
        job.reject(new WorkerError(`could not send a job to a worker: ${(err as Error).message}`, { cause: err }));
      }
    }
  }

  private spawn(): WorkerHandle | undefined {
    let worker: WorkerHandle;
    try {
      worker = this.start();
    } catch (err) {
      const job = this.queue.shift();
      job?.reject(new WorkerError(`could not start a worker: ${(err as Error).message}`, { cause: err }));
      return undefined;
    }
    this.workers.add(worker);
    worker.onMessage((message) => this.settle(worker, message as ResultMessage));
    worker.onExit((reason) => this.lose(worker, reason));
    // after the listeners: in Node, adding a message listener makes a worker keep the process alive again
    worker.setKeepsProcessAlive?.(false);
    return worker;
  }

  private settle(worker: WorkerHandle, message: ResultMessage): void {
    const job = this.running.get(worker);
    if (!job || job.message.id !== message.id) return;
    this.running.delete(worker);
    worker.setKeepsProcessAlive?.(false);
    this.idle.push(worker);
    if ("error" in message) job.reject(reviveError(message.error));
    else job.resolve(message.value);
    this.dispatch();
    if (this.closing && this.running.size === 0 && this.queue.length === 0) void this.close();
  }

  /** A worker failed or exited: its job fails, and a new worker takes its place for the queue. */
  private lose(worker: WorkerHandle, reason: string): void {
    if (!this.workers.delete(worker)) return;
    const at = this.idle.indexOf(worker);
    if (at >= 0) this.idle.splice(at, 1);
    const job = this.running.get(worker);
    this.running.delete(worker);
    void Promise.resolve(worker.terminate()).catch(() => undefined);
    job?.reject(new WorkerError(`a worker stopped during a job (${job.message.name}): ${reason}`));
    this.dispatch();
  }
}
