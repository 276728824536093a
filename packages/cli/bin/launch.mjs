// Runs a bundled command from dist/. The bins point at these small launchers, which exist as soon
// as the package is installed, so that the package manager can link them before dist/ is built.
import { existsSync } from "node:fs";

/**
 * Runs the bundle of command `name` (dist/<name>.mjs).
 * @param {string} name
 */
export async function launch(name) {
  const bundle = new URL(`../dist/${name}.mjs`, import.meta.url);
  if (!existsSync(bundle)) {
    process.stderr.write(`${name}: ${bundle.pathname} is missing; build it first (npx -y pnpm@10 run build)\n`);
    process.exit(1);
  }
  await import(bundle.href);
}
