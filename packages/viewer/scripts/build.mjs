// Builds the static viewer into dist/: index.html, viewer.js (ES modules, split so that codecs
// a recording does not need load on demand) and the pool's Web Worker, web-worker.js.
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "dist");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { viewer: join(root, "src/main.ts"), "web-worker": "@flacarray/core/web-worker" },
  outdir: out,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  minify: true,
  sourcemap: true,
  logLevel: "warning",
});
copyFileSync(join(root, "index.html"), join(out, "index.html"));
