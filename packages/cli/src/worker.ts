// A worker thread of the command line's pool: serves the chunk jobs of jobs.ts.
import { parentPort } from "node:worker_threads";
import { serveJobs } from "@flacarray/core";
import { type DecodeJob, decodeChunk, type EncodeJob, encodeChunk } from "./jobs.js";

if (parentPort) {
  const port = parentPort;
  serveJobs(
    { postMessage: (m, t) => port.postMessage(m, t), onMessage: (l) => port.on("message", l) },
    {
      encodeChunk: (job: EncodeJob) => {
        const value = encodeChunk(job);
        return { value, transfer: [value.compressed.buffer as ArrayBuffer, value.streamBytes.buffer as ArrayBuffer] };
      },
      decodeChunk: (job: DecodeJob) => {
        const value = decodeChunk(job);
        return { value, transfer: value.rows ? [value.rows.buffer as ArrayBuffer] : [] };
      },
    },
  );
}
