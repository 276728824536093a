/**
 * The rehearsal of opening an HDF5 file by byte ranges, run on a worker thread
 * (./hdf5-ranges-worker.ts): HDF5 spins forever on some damaged files, and only a worker can be
 * stopped. It opens the file and its flacarray group as the reader will, from the blocks the
 * calling thread has fetched, and names the bytes it still needs; the calling thread fetches them
 * (so that a slow server is its own typed error, not a deadline passed) and asks again.
 */
import type { ByteSource } from "@flacarray/core";
import { openRangeFile } from "@flacarray/hdf5";
import { rangeHdf5Stored } from "../stored-group.js";

/** Blocks of a file, by byte offset. */
export type FetchedBlocks = { offset: number; bytes: Uint8Array }[];

/** What the rehearsal is given. */
export interface Hdf5RangesJob {
  /** The URL, for messages. */
  name: string;
  size: number;
  group: string | undefined;
  blocks: FetchedBlocks;
}

/** The byte ranges the rehearsal still needs, or none when opening went through. */
export type Hdf5RangesOutcome = { need: { offset: number; length: number }[] };

/** Opens the file and its group from `job.blocks`; names what is missing. Throws what opening throws. */
export async function rehearseHdf5Ranges(job: Hdf5RangesJob): Promise<Hdf5RangesOutcome> {
  const need: { offset: number; length: number }[] = [];
  const source: ByteSource = {
    name: job.name,
    size: job.size,
    bytesFetched: 0,
    requests: 0,
    read: async (offset, length) => {
      need.push({ offset, length });
      throw new Error("not fetched yet");
    },
  };
  try {
    await rangeHdf5Stored(await openRangeFile(source, { prefetched: job.blocks }), job.group);
  } catch (err) {
    if (need.length === 0) throw err;
  }
  return { need };
}
