// The Web Worker that the pool starts in browsers: it serves FlacArray's jobs.
import { ARRAY_JOBS } from "./array-jobs.js";
import { serveJobs } from "./serve-jobs.js";

const scope = globalThis as unknown as {
  postMessage(message: unknown, transfer: ArrayBuffer[]): void;
  addEventListener(type: "message", listener: (event: MessageEvent) => void): void;
};
serveJobs(
  { postMessage: (m, t) => scope.postMessage(m, t), onMessage: (l) => scope.addEventListener("message", (e) => l(e.data)) },
  ARRAY_JOBS,
);
