/**
 * Compressing and decoding on the shared pool: the streams are cut into batches of a few MB
 * (many per worker, so that a slow batch does not hold the others back), each batch runs the
 * same code as the synchronous path on a worker, and the results are put together in order
 * (compressed parts laid into the result by the workers too, a share each).
 * Where memory can be shared (./shared-memory.ts), inputs pass through reused staging areas
 * and results are decoded in place; elsewhere batches are copied and moved.
 */
import type { CompressedRun, CompressedStreams } from "../compress.js";
import { type DataType, TYPED_ARRAYS, type TypedArray } from "../dtypes.js";
import type { WindowDecoder } from "../flac/stream-window.js";
import { interleaveStreams, type RowsTarget } from "../interleave.js";
import type { PreparedArray } from "../prepare-array.js";
import type { ByteRange, ReadPlan } from "../read-plan.js";
import {
  type DecodeStreamsInput,
  type DecodeWindowInput,
  type EncodeStreamsInput,
  type InterleaveInput,
  type JoinPartsInput,
  joinParts,
  layoutOf,
} from "./array-jobs.js";
import { JobLimit } from "./job-limit.js";
import { acquireStaging, canShareMemory, isShared, releaseStaging } from "./shared-memory.js";
import { forEachLimited, sharedPool } from "./shared-pool.js";
import { reviveError, type SerializedError } from "./worker-pool.js";

/** Raw bytes per batch: small enough to stage cheaply, large enough that messages cost little. */
const BATCH_BYTES = 8 * 1024 * 1024;

/** `[from, to)` runs of whole items, about `itemBytes * perRun <= BATCH_BYTES` each (at least one item). */
function batches(n: number, itemBytes: number, minRuns: number): [number, number][] {
  const count = Math.min(n, Math.max(minRuns, Math.ceil((n * itemBytes) / BATCH_BYTES)));
  return Array.from({ length: count }, (_, i) => [Math.floor((i * n) / count), Math.floor(((i + 1) * n) / count)]);
}

/** Compresses a prepared array's streams on `workers` workers; the bytes equal the synchronous path's. */
export async function compressOnWorkers(prepared: PreparedArray, workers: number): Promise<CompressedStreams> {
  const { ints, nstreams, streamSize, channels, level, verify } = prepared;
  const span = streamSize * channels;
  const pool = sharedPool(workers);
  const limit = new JobLimit(workers);
  const runs = batches(nstreams, span * 4, workers);
  const parts: CompressedRun[] = new Array(runs.length);
  const share = canShareMemory();
  // two batches per worker in flight: one running, one waiting (in the pool's queue, or in the
  // call's limit when an earlier call grew the pool past `workers`)
  await forEachLimited(runs, 2 * workers, async ([from, to], i) => {
    const values = ints.subarray(from * span, to * span);
    const staging = share ? acquireStaging(values.byteLength) : undefined;
    try {
      const batch = staging ? new Int32Array(staging, 0, values.length) : values.slice();
      if (staging) batch.set(values);
      const input: EncodeStreamsInput = { ints: batch, nstreams: to - from, streamSize, channels, level, verify, firstStream: from };
      parts[i] = await limit.run<CompressedRun>(pool, "encodeStreams", input, staging ? [] : [batch.buffer as ArrayBuffer]);
    } finally {
      if (staging) releaseStaging(staging);
    }
  });
  const starts = new Float64Array(nstreams);
  const bytes = new Float64Array(nstreams);
  let at = 0;
  runs.forEach(([from], i) => {
    const part = parts[i] as CompressedRun;
    for (let k = 0; k < part.starts.length; k++) {
      starts[from + k] = at + (part.starts[k] as number);
      bytes[from + k] = part.bytes[k] as number;
    }
    at += part.length;
  });
  const compressed = await joinOnWorkers(
    parts.map((p) => p.compressed.subarray(0, p.length)),
    at,
    share ? workers : 1,
  );
  return { compressed, starts, bytes };
}

/**
 * Parts laid end to end in a new array of `total` bytes. On more than one worker the result is
 * shared memory, and each worker copies a share of the parts: touching fresh memory costs more
 * than copying into it (3 ms per MB on the benchmark machine), so one thread doing it all would
 * leave the others idle.
 */
async function joinOnWorkers(parts: Uint8Array[], total: number, workers: number): Promise<Uint8Array> {
  if (workers < 2 || parts.length < 2) {
    const out = new Uint8Array(total);
    joinParts({ parts, out });
    return out;
  }
  const out = new Uint8Array(new SharedArrayBuffer(total));
  const shares: { parts: Uint8Array[]; start: number; end: number }[] = [];
  let at = 0;
  for (const part of parts) {
    const k = Math.min(workers - 1, Math.floor(((at + part.length / 2) * workers) / total));
    const share = shares[k] ?? (shares[k] = { parts: [], start: at, end: at });
    share.parts.push(part);
    share.end = at += part.length;
  }
  const pool = sharedPool(workers);
  await Promise.all(
    shares
      .filter((share) => share !== undefined)
      .map(({ parts, start, end }) =>
        pool.run(
          "joinParts",
          { parts, out: out.subarray(start, end) } satisfies JoinPartsInput,
          parts.map((p) => p.buffer as ArrayBuffer),
        ),
      ),
  );
  return out;
}

/** A plan's byte ranges cut at stream boundaries into pieces of at most about `maxBytes` (at least `minPieces` in all). */
function splitRanges(plan: ReadPlan, maxBytes: number, minPieces: number): ByteRange[] {
  const { layout, streams } = plan;
  const total = plan.ranges.reduce((n, r) => n + (r.end - r.start), 0);
  const target = Math.max(1, Math.min(maxBytes, total / minPieces));
  const pieces: ByteRange[] = [];
  for (const range of plan.ranges) {
    let from = range.from;
    let start = range.start;
    for (let k = range.from; k < range.to; k++) {
      const end = layout.starts[streams[k] as number] + layout.bytes[streams[k] as number];
      if (end - start >= target || k === range.to - 1) {
        pieces.push({ start, end, from, to: k + 1 });
        from = k + 1;
        start = end;
      }
    }
  }
  return pieces;
}

/**
 * A result array for a plan, in memory the workers can write when it can be shared (its
 * `buffer` is then a SharedArrayBuffer), else an ordinary one.
 */
export function allocateSharedResult<D extends DataType>(plan: ReadPlan<D>): TypedArray<D> {
  const Type = TYPED_ARRAYS[plan.dtype];
  const length = plan.streams.length * Math.max(0, plan.last - plan.first);
  if (!canShareMemory()) return new Type(length) as TypedArray<D>;
  return new Type(new SharedArrayBuffer(length * Type.BYTES_PER_ELEMENT) as unknown as ArrayBuffer) as TypedArray<D>;
}

/** Reads the bytes of pieces of stored streams: made once per read, for the pieces it will be asked for. */
export type PieceReader = (pieces: readonly ByteRange[]) => (piece: ByteRange) => Uint8Array | Promise<Uint8Array>;

/**
 * Decodes every range of a plan on `workers` workers into `data` (from {@link allocateSharedResult}).
 * The ranges are cut into pieces of a few MB; `reader` fetches each piece's bytes (copied to the workers).
 * @param path - the file and group, for error messages
 */
export async function decodeOnWorkers<D extends DataType>(
  plan: ReadPlan<D>,
  reader: PieceReader,
  data: TypedArray<D>,
  workers: number,
  path?: string,
): Promise<void> {
  const m = Math.max(0, plan.last - plan.first);
  const shared = canShareMemory() && isShared(data);
  await decodePieces(plan, reader, workers, path, (piece) => ({
    input: { out: shared ? (data.subarray(piece.from * m, piece.to * m) as TypedArray<D>) : undefined },
    done: (part) => {
      if (part) (data as unknown as { set(a: ArrayLike<unknown>, at: number): void }).set(part, piece.from * m);
    },
  }));
}

/**
 * Decodes every range of an int32 plan on `workers` workers as columns of time-major rows: the
 * plan's stream k goes to column `rows.column + k`, its first sample to row `rows.row`. Workers
 * write the rows themselves where `rows.out` is shared memory.
 */
export async function decodeRowsOnWorkers(
  plan: ReadPlan<"int32">,
  reader: PieceReader,
  rows: RowsTarget,
  workers: number,
  path?: string,
): Promise<void> {
  const m = Math.max(0, plan.last - plan.first);
  await decodePieces(plan, reader, workers, path, (piece) => ({
    input: { rows: { ...rows, column: rows.column + piece.from } },
    done: (part) => {
      if (!part) return;
      const n = piece.to - piece.from;
      for (let i = 0, to = rows.row * rows.width + rows.column + piece.from; i < m; i++, to += rows.width) {
        rows.out.set((part as Int16Array | Int32Array).subarray(i * n, (i + 1) * n), to);
      }
    },
  }));
}

/** Pieces fetched ahead of the one being decoded: about 8 MB, so that a window's requests all go out at once. */
const READ_AHEAD_PIECES = 8;

/**
 * Reads of `pieces` that run up to `ahead` pieces ahead of the ones asked for: fetching does not
 * wait for decoding, and the memory of pieces fetched but not yet decoded stays bounded.
 * `take(i)` gives piece i's bytes (each index once, in about increasing order).
 */
function readAhead(
  pieces: readonly ByteRange[],
  read: (piece: ByteRange) => Uint8Array | Promise<Uint8Array>,
  ahead: number,
): (i: number) => Promise<Uint8Array> {
  const started: (Promise<Uint8Array> | undefined)[] = [];
  let next = 0;
  return (i) => {
    for (; next < pieces.length && next <= i + ahead; next++) {
      const fetching = Promise.resolve(pieces[next] as ByteRange).then(read);
      fetching.catch(() => undefined); // a failure surfaces when its piece is taken, not as an unhandled rejection
      started[next] = fetching;
    }
    const bytes = started[i] as Promise<Uint8Array>;
    started[i] = undefined;
    return bytes;
  };
}

/** Cuts a plan into pieces and decodes each on the pool, with the extra input and result handling `job` gives. */
async function decodePieces(
  plan: ReadPlan,
  reader: PieceReader,
  workers: number,
  path: string | undefined,
  job: (piece: ByteRange) => { input: Partial<DecodeStreamsInput>; done: (part: ArrayLike<number> | null) => void },
): Promise<void> {
  const pool = sharedPool(workers);
  const limit = new JobLimit(workers);
  // about 1 MB of compressed bytes per piece: the first pieces arrive, and are decoded, while the
  // later ones are still being fetched
  const pieces = splitRanges(plan, BATCH_BYTES / 8, workers);
  const read = readAhead(pieces, reader(pieces), READ_AHEAD_PIECES);
  await forEachLimited(pieces, 2 * workers, async (piece, i) => {
    const staged = stageBytes(await read(i));
    try {
      const ids = plan.streams.slice(piece.from, piece.to);
      const { input, done } = job(piece);
      const full: DecodeStreamsInput = {
        layout: layoutOf(plan.layout, ids),
        ids,
        first: plan.first,
        last: plan.last,
        bytes: staged.bytes,
        start: piece.start,
        path,
        ...input,
      };
      done(await limit.run<ArrayLike<number> | null>(pool, "decodeStreams", full, staged.transfer));
    } finally {
      staged.release();
    }
  });
}

/**
 * Bytes for a worker: copied into a reused shared staging area where memory can be shared
 * (fresh memory costs more to touch than to copy into warm memory), else a copy of just these
 * bytes, moved to the worker (cloning a view would copy its whole buffer). `release` once the
 * job is done.
 */
function stageBytes(bytes: Uint8Array): { bytes: Uint8Array; transfer: ArrayBuffer[]; release(): void } {
  if (!canShareMemory()) {
    const copy = bytes.slice();
    return { bytes: copy, transfer: [copy.buffer as ArrayBuffer], release: () => undefined };
  }
  const staging = acquireStaging(bytes.length);
  const view = new Uint8Array(staging, 0, bytes.length);
  view.set(bytes);
  return { bytes: view, transfer: [], release: () => releaseStaging(staging) };
}

/**
 * `n` channel-major streams of `m` samples, as rows of `rows`, on `workers` workers, each taking
 * a band of rows (no two write the same memory). Both must be shared memory; otherwise, or for
 * one worker, on this thread.
 */
export async function interleaveOnWorkers(from: Int32Array, n: number, m: number, rows: RowsTarget, workers: number): Promise<void> {
  if (workers < 2 || !isShared(from) || !isShared(rows.out)) {
    interleaveStreams(from, n, m, rows);
    return;
  }
  const band = Math.ceil(m / workers);
  const bands = Array.from({ length: workers }, (_, k) => [k * band, Math.min(m, (k + 1) * band)] as const).filter(([a, b]) => b > a);
  const pool = sharedPool(workers);
  await Promise.all(bands.map(([first, last]) => pool.run("interleaveRows", { from, n, m, rows, first, last } satisfies InterleaveInput)));
}

/** Windows decoded by one job at most (see {@link workerWindowDecoder}). */
const WINDOWS_PER_JOB = 16;

/** A window waiting for its job. */
interface QueuedWindow {
  input: DecodeWindowInput & { out: Int32Array };
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * A {@link WindowDecoder} whose decoding runs on `workers` workers of the shared pool: for
 * {@link decodeStreamWindow} over many streams at once, the fetching stays here and the decoding
 * spreads over the cores. Windows decoded into shared memory go to the workers several to a job
 * (those asked for within one turn of the event loop, up to {@link WINDOWS_PER_JOB}): one message
 * each cost this thread about as much as the workers' decoding, for 385 one-second windows. Errors
 * keep their types (and an {@link InvalidStreamError}'s reason), window by window.
 */
export function workerWindowDecoder(workers: number): WindowDecoder {
  const limit = new JobLimit(workers);
  let queue: QueuedWindow[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    const batch = queue;
    queue = [];
    if (batch.length > 0) void decodeBatch(batch);
  };
  const decodeBatch = async (batch: QueuedWindow[]) => {
    const total = batch.reduce((n, w) => n + w.input.bytes.length, 0);
    const staging = acquireStaging(total);
    try {
      let at = 0;
      const items = batch.map(({ input }) => {
        const bytes = new Uint8Array(staging, at, input.bytes.length);
        bytes.set(input.bytes);
        at += bytes.length;
        return { ...input, bytes };
      });
      const errors = await limit.run<(SerializedError | null)[]>(sharedPool(workers), "decodeWindows", { items });
      batch.forEach((w, i) => {
        const e = errors[i];
        if (e) w.reject(reviveError(e));
        else w.resolve();
      });
    } catch (err) {
      for (const w of batch) w.reject(err as Error);
    } finally {
      releaseStaging(staging);
    }
  };
  const run = async (input: DecodeWindowInput, out: Int32Array, outOffset = 0) => {
    if (isShared(out)) {
      // decoded in place, with other windows: nothing comes back, nothing is copied back
      return new Promise<void>((resolve, reject) => {
        queue.push({ input: { ...input, out }, resolve, reject });
        if (queue.length >= WINDOWS_PER_JOB) flush();
        else timer ??= setTimeout(flush, 0);
      });
    }
    const staged = stageBytes(input.bytes);
    try {
      const part = await limit.run<Int32Array>(sharedPool(workers), "decodeWindow", { ...input, bytes: staged.bytes }, staged.transfer);
      out.set(part, outOffset);
    } finally {
      staged.release();
    }
  };
  return {
    decode: (bytes, out, options) => run({ bytes, options }, out, options.outOffset),
    decodePart: (part, info, out, options) => run({ bytes: part, info, options }, out, options.outOffset),
  };
}
