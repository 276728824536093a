// Runs every example in this folder as its own process and fails if any fails (CI runs this).
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const examples = readdirSync(here).filter((f) => f.endsWith(".ts") && f !== "run-all.ts");
for (const file of examples.sort()) {
  console.log(`--- examples/${file}`);
  execFileSync(process.execPath, ["--import", "tsx", join(here, file)], { stdio: "inherit" });
}
console.log(`${examples.length} examples ran`);
