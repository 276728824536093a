/**
 * Node entry point: everything of `@flacarray/core`, plus writing outputs safely on disk and
 * worker threads for other packages' jobs ({@link nodeWorker}).
 */
export * from "./index.js";
export { nodeHttpFetch } from "./node/http-fetch.js";
export type { WriteOutputsOptions } from "./node/safe-output.js";
export { abandonOutputs, writeOutputs } from "./node/safe-output.js";
export { defaultWorkerCount, nodeWorker } from "./node/worker-host.js";
