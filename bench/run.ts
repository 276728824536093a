// pnpm bench: runs every benchmark in turn, each in its own process (so one's memory and JIT
// state do not colour the next). `pnpm bench codec hdf5` runs only those.
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ALL = ["codec", "codecs", "hdf5", "zarr", "mtscomp", "cli", "remote", "viewer", "bundle-size"];
const here = dirname(fileURLToPath(import.meta.url));
const chosen = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ALL;
for (const name of chosen) {
  if (!ALL.includes(name)) throw new Error(`unknown benchmark "${name}" (one of ${ALL.join(", ")})`);
  console.log(`\n## ${name}`);
  execFileSync(process.execPath, ["--import", "tsx", join(here, `${name}.ts`)], { stdio: "inherit" });
}
