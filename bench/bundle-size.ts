// Bundle sizes: what each package costs a web page, bundled by esbuild the way an application's
// bundler does it (ES modules, minified, code splitting as Vite and Rollup do by default).
// "First load" is the entry and the chunks it imports statically; "on demand" is what loads only
// when a dynamic import runs (zarrita's blosc, lz4 and zstd codecs). The last column bundles
// without splitting, which inlines everything. Results: bench/results/bundle-size.json.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { type BuildOptions, build, type Metafile } from "esbuild";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The browser entry of each package, as a page imports it. */
export const BROWSER_ENTRIES = [
  "@flacarray/core",
  "@flacarray/zarr",
  "@flacarray/mtscomp",
  "@flacarray/numcodecs",
  "@flacarray/hdf5",
  "@flacarray/recording",
] as const;

/** Sizes of one package's bundle, in bytes. */
export interface BundleSize {
  entry: string;
  /** The entry and its static imports, minified. */
  firstLoad: number;
  /** The same, gzipped (what a server sends with compression). */
  firstLoadGzip: number;
  /** Chunks loaded only by dynamic imports, minified. */
  onDemand: number;
  /** Everything in one file, as a bundler without code splitting makes it. */
  singleFile: number;
}

/** Outputs reachable from `start` through static imports. */
function staticClosure(meta: Metafile, start: string): Set<string> {
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const imported of meta.outputs[path]?.imports ?? []) if (imported.kind === "import-statement") visit(imported.path);
  };
  visit(start);
  return seen;
}

/** Bundles each package's browser entry and measures it. */
export async function measureBundles(): Promise<BundleSize[]> {
  mkdirSync(join(ROOT, ".tmp"), { recursive: true });
  const dir = mkdtempSync(join(ROOT, ".tmp", "bundle-size-"));
  try {
    const sizes: BundleSize[] = [];
    for (const entry of BROWSER_ENTRIES) {
      const source = join(dir, `${entry.split("/")[1]}.js`);
      writeFileSync(source, `export * from "${entry}";\n`);
      const common: BuildOptions = {
        entryPoints: [source],
        bundle: true,
        minify: true,
        format: "esm",
        platform: "browser",
        target: "es2022",
      };
      const split = await build({
        ...common,
        splitting: true,
        outdir: join(dir, "split"),
        write: false,
        metafile: true,
        logLevel: "error",
      });
      const single = await build({ ...common, outdir: join(dir, "single"), write: false, logLevel: "error" });
      const files = new Map(split.outputFiles.map((f) => [f.path.slice(ROOT.length + 1), f.contents]));
      const main = [...files.keys()].find((p) => p.endsWith(`/split/${entry.split("/")[1]}.js`)) as string;
      const eager = staticClosure(split.metafile, main);
      const sum = (paths: string[]) => paths.reduce((n, p) => n + (files.get(p)?.length ?? 0), 0);
      const eagerPaths = [...files.keys()].filter((p) => eager.has(p) && p.endsWith(".js"));
      const lazyPaths = [...files.keys()].filter((p) => !eager.has(p) && p.endsWith(".js"));
      sizes.push({
        entry,
        firstLoad: sum(eagerPaths),
        firstLoadGzip: eagerPaths.reduce((n, p) => n + gzipSync(files.get(p) as Uint8Array).length, 0),
        onDemand: sum(lazyPaths),
        singleFile: single.outputFiles.filter((f) => f.path.endsWith(".js")).reduce((n, f) => n + f.contents.length, 0),
      });
    }
    return sizes;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { writeResults } = await import("./setup.js");
  const sizes = await measureBundles();
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  console.log("| package | first load (min) | first load (gzip) | on demand | one file, no splitting |");
  console.log("|---|---|---|---|---|");
  for (const s of sizes)
    console.log(`| \`${s.entry}\` | ${kb(s.firstLoad)} | ${kb(s.firstLoadGzip)} | ${kb(s.onDemand)} | ${kb(s.singleFile)} |`);
  writeResults("bundle-size", { sizes });
}
