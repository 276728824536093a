// The worker thread that the pool starts in Node: it serves FlacArray's jobs.
import { parentPort } from "node:worker_threads";
import { ARRAY_JOBS } from "../pool/array-jobs.js";
import { serveJobs } from "../pool/serve-jobs.js";

if (parentPort) {
  const port = parentPort;
  serveJobs({ postMessage: (m, t) => port.postMessage(m, t), onMessage: (l) => port.on("message", l) }, ARRAY_JOBS);
}
