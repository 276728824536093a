// The browser suite's Node side: bundles ./page/suite.ts the way an application's bundler would
// (esbuild, ES modules, code splitting so dynamic imports load on demand), serves the repository
// on 127.0.0.1, and drives Debian's Chromium through playwright-core.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { type Browser, chromium, type Page } from "playwright-core";
import { type StaticServer, serveDirectory } from "../helpers/http-server.js";
import type * as Suite from "./page/suite.js";

/** The repository's root, which the test server serves. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Flags for a headless Chromium on a machine with no outside network: without the
 * background-networking ones it keeps trying to reach Google's hosts.
 */
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Launches Debian's Chromium headless, with the flags above. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium (.ci/run does) or set CHROMIUM_PATH`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}

/** Bundles the suite into a new folder under `.tmp/` (served with the repository) and returns it. */
async function bundleSuite(): Promise<string> {
  mkdirSync(join(ROOT, ".tmp"), { recursive: true });
  const outdir = mkdtempSync(join(ROOT, ".tmp", "browser-"));
  await build({
    // the pool's Web Worker is its own entry, beside the chunks that start it, as a bundler
    // following `new Worker(new URL("./web-worker.js", import.meta.url))` would place it
    entryPoints: {
      suite: join(ROOT, "test/browser/page/suite.ts"),
      "web-worker": join(ROOT, "packages/core/src/pool/web-worker.ts"),
    },
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    logLevel: "warning",
  });
  writeFileSync(
    join(outdir, "index.html"),
    '<!doctype html><meta charset="utf-8"><title>flacarray browser suite</title>\n' +
      '<script type="module">import * as suite from "./suite.js"; window.suite = suite; document.title = "ready";</script>\n',
  );
  return outdir;
}

/** A page with the suite loaded, the server it came from, and every URL the page requested. */
export interface BrowserSuite {
  page: Page;
  /** Serves the repository: `url(path)` is the address of a file of it. */
  server: StaticServer;
  url(path: string): string;
  /** URLs the page has requested, in order. */
  requests: string[];
  /** Calls a function of ./page/suite.ts in the page and returns what it gave. */
  run<K extends keyof typeof Suite>(name: K, ...args: Parameters<(typeof Suite)[K]>): Promise<Awaited<ReturnType<(typeof Suite)[K]>>>;
  /** Opens a fresh page (an empty module cache), forgetting earlier requests. */
  reload(): Promise<void>;
  close(): Promise<void>;
}

/** Launches Chromium and opens the suite's page; `isolated` serves it cross-origin isolated (shared memory allowed). */
export async function startBrowserSuite(options: { isolated?: boolean } = {}): Promise<BrowserSuite> {
  const outdir = await bundleSuite();
  const server = await serveDirectory(ROOT);
  server.quirks.isolate = options.isolated;
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const context = await browser.newContext();
    const requests: string[] = [];
    const pageUrl = `${server.url}/${relative(ROOT, outdir)}/index.html`;
    let page: Page;
    const open = async () => {
      page = await context.newPage();
      page.on("request", (r) => requests.push(r.url()));
      await page.goto(pageUrl);
      await page.waitForFunction(() => document.title === "ready", undefined, { timeout: 30_000 });
    };
    await open();
    const opened = browser;
    return {
      get page() {
        return page;
      },
      server,
      url: (path) => `${server.url}/${path}`,
      requests,
      run: (name, ...args) =>
        page.evaluate(
          ([name, args]) => (window as unknown as { suite: Record<string, (...a: unknown[]) => unknown> }).suite[name](...args),
          [name, args] as [string, unknown[]],
        ) as never,
      async reload() {
        await page.close();
        requests.length = 0;
        await open();
      },
      async close() {
        await opened.close();
        await server.close();
        rmSync(outdir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await browser?.close();
    await server.close();
    rmSync(outdir, { recursive: true, force: true });
    throw err;
  }
}
