// Builds the static viewer into dist/: index.html, viewer.js (ES modules) and the pool's Web
// Worker, web-worker.js.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "dist");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const common = { bundle: true, format: "esm", platform: "browser", target: "es2022", minify: true, sourcemap: true, logLevel: "warning" };
// The page: split, so that the codecs a recording does not need load on demand.
const page = await build({ ...common, entryPoints: { viewer: join(root, "src/main.ts") }, outdir: out, splitting: true, metafile: true });
// The pool's worker, built apart as one file: were it to share chunks with the page, the page and
// each worker would fetch those only after parsing their entry file, one round trip later.
await build({ ...common, entryPoints: { "web-worker": "@flacarray/core/web-worker" }, outdir: out });
// The chunks viewer.js imports are preloaded with it (as Vite does), not fetched after it is parsed.
const entry = Object.entries(page.metafile.outputs).find(([, o]) => o.entryPoint?.endsWith("src/main.ts"));
const preloads = entry[1].imports
  .filter((i) => i.kind === "import-statement")
  .map((i) => `    <link rel="modulepreload" href="./${basename(i.path)}" />\n`)
  .join("");
const html = readFileSync(join(root, "index.html"), "utf8");
writeFileSync(join(out, "index.html"), html.replace("  </head>", `${preloads}  </head>`));
