/** Loading h5wasm once, on first use. */
import { registerH5wasmBuild } from "./transfer.js";

/** The h5wasm package. */
export type H5wasm = typeof import("h5wasm").default;
/** h5wasm's Emscripten module (its file system is `module.FS`). */
export type H5Module = Awaited<H5wasm["ready"]>;

let loading: Promise<{ h5wasm: H5wasm; module: H5Module }> | undefined;
let module: H5Module | undefined;

/**
 * Loads h5wasm (its browser build, 5 MB with the WebAssembly inlined) on first use, so that a page
 * that bundles this package pays for it only when it opens a file, and makes HDF5 errors throw
 * instead of only printing.
 */
export function ready(): Promise<{ h5wasm: H5wasm; module: H5Module }> {
  loading ??= import("h5wasm").then(async ({ default: h5wasm }) => {
    module = await h5wasm.ready;
    module.activate_throwing_error_handler();
    registerH5wasmBuild(h5wasm.Dataset, module);
    return { h5wasm, module };
  });
  return loading;
}

/** The module once {@link ready} has loaded it, for synchronous callers. */
export function loaded(): H5Module | undefined {
  return module;
}
