// Runs a bundled command from dist/. The bins point at these small launchers, which exist as soon
// as the package is installed, so that the package manager can link them before dist/ is built.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** glibc's switch for transparent huge pages under malloc (glibc 2.35 on; older ones and musl ignore it). */
const HUGE_PAGES = "glibc.malloc.hugetlb=1";

/**
 * Runs the bundle of command `name` (dist/<name>.mjs).
 *
 * On Linux the bundle runs in a child process whose malloc asks for transparent huge pages, as
 * numpy does for its arrays: Node allocates array buffers with malloc, and their first touch
 * otherwise costs one page fault per 4 KiB (1.3 s per 462 MB on a cloud VM; compressing a 20 s
 * Neuropixels recording took 8.0 s instead of 6.7 s). A GLIBC_TUNABLES that already says
 * `glibc.malloc.hugetlb` is left as it is (`=0` turns this off).
 * @param {string} name
 */
export async function launch(name) {
  const bundle = new URL(`../dist/${name}.mjs`, import.meta.url);
  if (!existsSync(bundle)) {
    process.stderr.write(`${name}: ${bundle.pathname} is missing; build it first (npx -y pnpm@10 run build)\n`);
    process.exit(1);
  }
  const tunables = process.env.GLIBC_TUNABLES;
  // in this process: off Linux, where the user chose, and under a debugger (it is attached here)
  const inspected = process.execArgv.some((arg) => /^--(inspect|debug)/.test(arg));
  if (process.platform !== "linux" || /glibc\.malloc\.hugetlb=/.test(tunables ?? "") || inspected) {
    await import(bundle.href);
    return;
  }
  const env = { ...process.env, GLIBC_TUNABLES: tunables ? `${tunables}:${HUGE_PAGES}` : HUGE_PAGES };
  const args = [...process.execArgv, fileURLToPath(bundle), ...process.argv.slice(2)];
  const child = spawn(process.execPath, args, { stdio: "inherit", env });
  // Signals are passed on, and this process waits for the command to clean up and exit (Ctrl-C
  // reaches both; the command's handlers take a second signal in their stride).
  const signals = ["SIGINT", "SIGTERM", "SIGHUP"];
  const forward = (signal) => child.kill(signal);
  for (const signal of signals) process.on(signal, forward);
  // [code, signal] when it ends; null when it could not start (no process left, say: it then has
  // no pid). Other errors (a signal that could not be passed on) change nothing: it still ends.
  const ended = await new Promise((resolve) => {
    child.once("exit", (...exit) => resolve(exit));
    child.on("error", () => {
      if (child.pid === undefined) resolve(null);
    });
  });
  for (const s of signals) process.removeAllListeners(s);
  if (ended === null) {
    await import(bundle.href); // the command runs here, without huge pages
    return;
  }
  const [code, signal] = ended;
  if (signal) process.kill(process.pid, signal);
  process.exitCode = code ?? 1;
}
