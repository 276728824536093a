/**
 * Node entry point: everything of `@flacarray/core`, plus writing outputs safely on disk.
 */
export * from "./index.js";
export type { WriteOutputsOptions } from "./node/safe-output.js";
export { abandonOutputs, writeOutputs } from "./node/safe-output.js";
