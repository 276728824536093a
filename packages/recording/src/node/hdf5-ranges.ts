/**
 * HDF5 files at http(s) URLs in Node, read by byte ranges: HDF5's metadata and the ranges of
 * `compressed` a read needs are fetched, never the file. Opening is rehearsed first on a worker
 * thread, each round under the `timeoutMs` deadline (HDF5 spins forever on some damaged files),
 * on blocks this thread fetches as the rehearsal names them; this thread then repeats the opening
 * on those blocks.
 */
import { extname } from "node:path";
import { DEFAULT_TIMEOUT_MS, type HttpOptions, httpByteSource, InvalidFormatError, ReadError, WorkerPool } from "@flacarray/core";
import { nodeWorker } from "@flacarray/core/node";
import { BLOCK_BYTES, openRangeFile } from "@flacarray/hdf5";
import { rangeHdf5Stored, type StoredRecording } from "../stored-group.js";
import type { FetchedBlocks, Hdf5RangesJob, Hdf5RangesOutcome } from "./hdf5-ranges-job.js";

/** The rehearsal worker: `.ts` from the sources, `.js` built, `.mjs` in the command line's bundle. */
const WORKER = new URL(`./hdf5-ranges-worker${extname(new URL(import.meta.url).pathname)}`, import.meta.url);

/** Rounds of the rehearsal (each fetches what the last one missed) before giving up. */
const MAX_ROUNDS = 256;

/**
 * Rehearsal workers kept between openings (starting one takes longer than opening a file), one
 * per opening in progress; idle, they do not keep the process alive.
 */
const idleRehearsals: WorkerPool[] = [];
/** Idle rehearsal workers kept at most. */
const MAX_IDLE_REHEARSALS = 2;

/**
 * Opens the flacarray group (default: the only one) of the HDF5 file at `url` by byte ranges.
 * @throws {InvalidFormatError} naming the URL when HDF5 works on it for more than `timeoutMs` at once
 * @throws the errors of opening the group, with their types; {ReadError} for failed requests
 */
export async function openRemoteHdf5(url: string, group: string | undefined, http: HttpOptions = {}): Promise<StoredRecording> {
  const timeoutMs = http.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const { source, head } = await httpByteSource(url, http, BLOCK_BYTES);
  const blocks: FetchedBlocks = [{ offset: 0, bytes: head }];
  const pool = idleRehearsals.pop() ?? new WorkerPool(1, () => nodeWorker(WORKER));
  let busy = false; // whether the worker is still in a rehearsal (past the deadline)
  try {
    for (let round = 1; ; round++) {
      const job: Hdf5RangesJob = { name: url, size: source.size, group, blocks };
      busy = true;
      const rehearsal = pool.run<Hdf5RangesOutcome>("rehearseHdf5Ranges", job);
      rehearsal.then(
        () => void (busy = false),
        () => void (busy = false),
      );
      const { need } = await withinDeadline(rehearsal, timeoutMs, url);
      if (need.length === 0) break;
      if (round === MAX_ROUNDS) throw new ReadError(url, `HDF5 still reads bytes not fetched after ${MAX_ROUNDS} rounds`);
      for (const { offset, length } of need) blocks.push({ offset, bytes: await source.read(offset, length) });
    }
  } finally {
    // a worker still in HDF5 is stopped; an idle one serves the next opening
    if (busy || idleRehearsals.length >= MAX_IDLE_REHEARSALS) await pool.close();
    else idleRehearsals.push(pool);
  }
  return rangeHdf5Stored(await openRangeFile(source, { prefetched: blocks }), group);
}

/** `work`, or an {@link InvalidFormatError} when it takes more than `timeoutMs`: HDF5 spinning on a damaged file. */
async function withinDeadline<T>(work: Promise<T>, timeoutMs: number, url: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new InvalidFormatError(
            url,
            `HDF5 did not finish reading its metadata within ${timeoutMs} ms: the file is probably corrupt (option timeoutMs)`,
          ),
        ),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
