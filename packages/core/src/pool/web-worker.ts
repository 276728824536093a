// The Web Worker that the pool starts in browsers: it serves FlacArray's jobs.
import { ARRAY_JOBS } from "./array-jobs.js";
import { serveJobs } from "./serve-jobs.js";
import { warmUp } from "./warm-up.js";

const scope = globalThis as unknown as {
  postMessage(message: unknown, transfer: ArrayBuffer[]): void;
  addEventListener(type: "message", listener: (event: MessageEvent) => void): void;
};
serveJobs(
  { postMessage: (m, t) => scope.postMessage(m, t), onMessage: (l) => scope.addEventListener("message", (e) => l(e.data)) },
  ARRAY_JOBS,
);
// after serving: a job that arrives meanwhile waits for the warm-up, which it would pay for anyway
warmUp();
