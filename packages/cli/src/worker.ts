// A worker thread of the pool: runs the jobs it is sent (jobs.ts) and posts the results back.
import { parentPort } from "node:worker_threads";
import { type DecodeJob, decodeChunk, type EncodeJob, encodeChunk } from "./jobs.js";

parentPort?.on("message", ({ id, job }: { id: number; job: EncodeJob | DecodeJob }) => {
  try {
    if (job.type === "encode") {
      const result = encodeChunk(job);
      parentPort?.postMessage({ id, result }, [result.compressed.buffer as ArrayBuffer, result.streamBytes.buffer as ArrayBuffer]);
    } else {
      const result = decodeChunk(job);
      parentPort?.postMessage({ id, result }, result.rows ? [result.rows.buffer as ArrayBuffer] : []);
    }
  } catch (err) {
    const e = err as Error & { reason?: string; stream?: number; byteOffset?: number; path?: string };
    parentPort?.postMessage({
      id,
      error: { name: e.name, message: e.message, reason: e.reason, stream: e.stream, byteOffset: e.byteOffset, path: e.path },
    });
  }
});
