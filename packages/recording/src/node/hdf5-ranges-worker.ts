// A worker thread that rehearses opening HDF5 files by byte ranges (./hdf5-ranges-job.ts).
import { parentPort } from "node:worker_threads";
import { serveJobs } from "@flacarray/core";
import { type Hdf5RangesJob, rehearseHdf5Ranges } from "./hdf5-ranges-job.js";

if (parentPort) {
  const port = parentPort;
  serveJobs(
    { postMessage: (m, t) => port.postMessage(m, t), onMessage: (l) => port.on("message", l) },
    { rehearseHdf5Ranges: async (job: Hdf5RangesJob) => ({ value: await rehearseHdf5Ranges(job) }) },
  );
}
