// What a page pays for each package: codecs a read may never need (zarrita's blosc, lz4, zstd;
// h5wasm's 5 MB) must load on demand, not with the package.
import { describe, expect, test } from "vitest";
import { BROWSER_ENTRIES, type BundleSize, measureBundles } from "../../bench/bundle-size.js";

describe("bundle sizes (esbuild, minified, code splitting)", async () => {
  const sizes = new Map<string, BundleSize>((await measureBundles()).map((s) => [s.entry, s]));

  test("every package with a browser entry is measured", () => {
    expect([...sizes.keys()]).toHaveLength(6);
  });

  // The first loads carry the FLAC decoder's and encoder's WebAssembly kernels on purpose (about
  // 23 KB of base64: decoding and encoding are synchronous calls); the codecs a read may never
  // need stay out (below).
  test.each(BROWSER_ENTRIES)("%s loads under 192 KB first", (entry) => {
    expect(sizes.get(entry)?.firstLoad).toBeLessThan(192 * 1024);
  });

  test("zarrita's blosc, lz4 and zstd (over 1 MB) and h5wasm (over 4 MB) load only on demand", () => {
    expect(sizes.get("@flacarray/zarr")?.onDemand).toBeGreaterThan(1024 * 1024);
    expect(sizes.get("@flacarray/hdf5")?.onDemand).toBeGreaterThan(4 * 1024 * 1024);
  });
});
