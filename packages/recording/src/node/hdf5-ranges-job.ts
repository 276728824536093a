/**
 * The rehearsal of opening an HDF5 file at an http(s) URL by byte ranges, run on a worker thread
 * (./hdf5-ranges-worker.ts): HDF5 spins forever on some damaged files, and only a worker can be
 * stopped. It opens the file and its flacarray group as the reader will, and hands back the
 * blocks it fetched, so that the calling thread repeats the same reads on the same bytes.
 */
import { type HttpOptions, httpByteSource } from "@flacarray/core";
import { BLOCK_BYTES, openRangeFile } from "@flacarray/hdf5";
import { rangeHdf5Stored } from "../stored-group.js";

/** What the rehearsal is given. */
export interface Hdf5RangesJob {
  url: string;
  group: string | undefined;
  http: Omit<HttpOptions, "fetch">;
}

/** The blocks of the file the rehearsal fetched. */
export type FetchedBlocks = { offset: number; bytes: Uint8Array }[];

/** Opens the file and its group by ranges; returns the blocks fetched. Throws what opening throws. */
export async function rehearseHdf5Ranges(job: Hdf5RangesJob): Promise<FetchedBlocks> {
  const { source, head } = await httpByteSource(job.url, job.http, BLOCK_BYTES);
  const file = await openRangeFile(source, { prefetched: [{ offset: 0, bytes: head }] });
  await rangeHdf5Stored(file, job.group);
  return file.fetchedBlocks();
}
