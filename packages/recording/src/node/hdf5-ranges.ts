/**
 * HDF5 files at http(s) URLs in Node, read by byte ranges: HDF5's metadata and the ranges of
 * `compressed` a read needs are fetched, never the file. Opening is rehearsed first on a worker
 * thread under the `timeoutMs` deadline (HDF5 spins forever on some damaged files), and the
 * calling thread then repeats it on the blocks the rehearsal fetched.
 */
import { extname } from "node:path";
import { DEFAULT_TIMEOUT_MS, type HttpOptions, httpByteSource, InvalidFormatError, WorkerPool } from "@flacarray/core";
import { nodeWorker } from "@flacarray/core/node";
import { BLOCK_BYTES, openRangeFile } from "@flacarray/hdf5";
import { rangeHdf5Stored, type StoredRecording } from "../stored-group.js";
import type { FetchedBlocks } from "./hdf5-ranges-job.js";

/** The rehearsal worker: `.ts` from the sources, `.js` built, `.mjs` in the command line's bundle. */
const WORKER = new URL(`./hdf5-ranges-worker${extname(new URL(import.meta.url).pathname)}`, import.meta.url);

/**
 * Opens the flacarray group (default: the only one) of the HDF5 file at `url` by byte ranges.
 * @throws {InvalidFormatError} naming the URL when HDF5 does not finish opening it within `timeoutMs`
 * @throws the errors of opening the group, with their types; {ReadError} for failed requests
 */
export async function openRemoteHdf5(url: string, group: string | undefined, http: HttpOptions = {}): Promise<StoredRecording> {
  const timeoutMs = http.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const pool = new WorkerPool(1, () => nodeWorker(WORKER));
  let timer: NodeJS.Timeout | undefined;
  let blocks: FetchedBlocks;
  try {
    const { fetch: _fetch, ...plain } = http; // a function cannot be sent to the worker
    blocks = await Promise.race([
      pool.run<FetchedBlocks>("rehearseHdf5Ranges", { url, group, http: plain }),
      new Promise<never>((_, reject) => {
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
      }),
    ]);
  } finally {
    clearTimeout(timer);
    await pool.close();
  }
  const { source } = await httpByteSource(url, http, BLOCK_BYTES);
  return rangeHdf5Stored(await openRangeFile(source, { prefetched: blocks }), group);
}
