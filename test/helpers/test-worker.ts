// A worker for the pool's tests: jobs that answer, sleep, throw, or kill their worker.
import { parentPort } from "node:worker_threads";
import { InvalidArgumentError, serveJobs } from "@flacarray/core";

if (parentPort) {
  const port = parentPort;
  serveJobs(
    { postMessage: (m, t) => port.postMessage(m, t), onMessage: (l) => port.on("message", l) },
    {
      double: (input: { values: Float64Array }) => {
        const values = input.values.map((v) => 2 * v);
        return { value: values, transfer: [values.buffer as ArrayBuffer] };
      },
      slow: async (input: { ms: number }) => {
        await new Promise((r) => setTimeout(r, input.ms));
        return { value: input.ms };
      },
      /** Sleeps `ms` and returns when it ran, in ms on a clock all threads share. */
      span: async (input: { ms: number }) => {
        const start = performance.timeOrigin + performance.now();
        await new Promise((r) => setTimeout(r, input.ms));
        return { value: [start, performance.timeOrigin + performance.now()] };
      },
      typedError: () => {
        throw new InvalidArgumentError("level 9 is not a FLAC level");
      },
      plainError: () => {
        throw new TypeError("something else broke");
      },
      exit: () => process.exit(3),
    },
  );
}
