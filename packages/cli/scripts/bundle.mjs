// Bundles the commands and the worker into dist/*.mjs, runnable with plain node (the workspace
// packages are TypeScript sources; their npm dependencies stay external).

import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
await build({
  entryPoints: {
    flacarray: join(root, "src/bin/flacarray.ts"),
    mtscomp: join(root, "src/bin/mtscomp.ts"),
    mtsdecomp: join(root, "src/bin/mtsdecomp.ts"),
    mtsdesc: join(root, "src/bin/mtsdesc.ts"),
    worker: join(root, "src/worker.ts"),
    // @flacarray/recording's rehearsal of remote HDF5 files, found beside the bundle that opens them
    "hdf5-ranges-worker": join(root, "../recording/src/node/hdf5-ranges-worker.ts"),
  },
  outdir: join(root, "dist"),
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["h5wasm", "zarrita", "@zarrita/storage", "fflate", "numcodecs"],
  banner: { js: "#!/usr/bin/env node" },
  logLevel: "warning",
});
