/**
 * Compiles one of this project's WebAssembly kernels, shipped base64-encoded in a generated
 * module (scripts/build-wasm.mjs), and makes an object of it with `make`.
 * @returns null where WebAssembly cannot run (a page whose Content-Security-Policy forbids it,
 *   say): callers then use their TypeScript code
 */
export function loadWasmKernel<T>(base64: string, make: (module: WebAssembly.Module) => T): T | null {
  try {
    return make(new WebAssembly.Module(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))));
  } catch {
    return null;
  }
}
