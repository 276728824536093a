// Viewer benchmark (issue 15): a 60 s, 385-channel Neuropixels-like recording compressed by the
// `flacarray` command into a Zarr store, served over loopback HTTP by another process (as `flacarray
// view` serves it), and viewed in headless Chromium through playwright-core. Prints the time from
// navigation to "ready" for a first 1 s x 385-channel view; the time to "ready" after panning by
// one window once the viewer has read it ahead (as while a user looks at a view), right after the
// previous pan (the read ahead still under way), and after a jump to a window not in memory; the
// bytes fetched per view against the compressed bytes of the samples on screen; and the time to
// draw one frame while dragging. Results: bench/results/viewer.json.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { launchChromium, ROOT } from "../test/browser/harness.js";
import { writeNeuropixelsBin } from "./raw-recording.js";
import { serveInChild } from "./served-directory.js";
import { median, writeResults } from "./setup.js";

const [CHANNELS, RATE, SECONDS] = [385, 30000, Number(process.env.BENCH_SECONDS ?? 60)];
const PANS = 5;
/** Milliseconds between opening the tab and navigating it (see where it is used). */
const SETTLE_MS = 3000;

/** Bytes of all files under `dir`. */
function bytesUnder(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce(
    (sum, e) => sum + (e.isDirectory() ? bytesUnder(join(dir, e.name)) : statSync(join(dir, e.name)).size),
    0,
  );
}

mkdirSync(join(ROOT, ".tmp"), { recursive: true });
const dir = mkdtempSync(join(ROOT, ".tmp", "bench-viewer-"));
// another process serves, as `flacarray view` does, with the headers that let workers share memory with the page
const server = await serveInChild(ROOT, { isolate: true });
const browser = await launchChromium();
try {
  writeNeuropixelsBin(join(dir, "rec.bin"), SECONDS, CHANNELS, RATE);
  const cli = join(ROOT, "packages", "cli", "dist", "flacarray.mjs");
  execFileSync(process.execPath, [
    cli,
    "compress",
    join(dir, "rec.bin"),
    "-o",
    join(dir, "rec.zarr"),
    "-n",
    String(CHANNELS),
    "-s",
    String(RATE),
    "--quiet",
  ]);
  rmSync(join(dir, "rec.bin"));
  const compressed = bytesUnder(join(dir, "rec.zarr", "compressed"));
  const onScreen = compressed / SECONDS; // compressed bytes of a 1 s window of every channel, on average
  const src = `/${relative(ROOT, join(dir, "rec.zarr"))}`;
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 });
  // Headless Chromium loads its own omnibox-popup page for each new window, a core's work for
  // about 1.5 s on this machine; a user's browser has it loaded. Let it finish before navigating.
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  // "ready" after the view:drawn mark number `drawn`, awaited in the page without polling (which
  // would take the page's thread every frame)
  const drawnMarks = async () => (await page.evaluate(`performance.getEntriesByName("view:drawn").length`)) as number;
  const ready = (drawn = 0) =>
    page.evaluate(`new Promise((resolve) => {
      const check = () => {
        if (document.documentElement.dataset.state === "ready" && performance.getEntriesByName("view:drawn").length > ${drawn}) {
          observer.disconnect();
          resolve();
        }
      };
      const observer = new MutationObserver(check);
      observer.observe(document.documentElement, { attributes: true, attributeFilter: ["data-state"] });
      check();
    })`);
  const fetched = async () => (await server.log()).reduce((sum, r) => sum + r.bytes, 0);

  const t0 = performance.now();
  await page.goto(`${server.url}/packages/viewer/dist/index.html?src=${encodeURIComponent(src)}&start=10&duration=1&channels=0:385`, {
    waitUntil: "commit",
  });
  await ready();
  const firstViewMs = performance.now() - t0;
  const marks = (await page.evaluate(`performance.getEntriesByType("mark").map((m) => [m.name, Math.round(m.startTime)])`)) as [
    string,
    number,
  ][];
  console.log(`first view, ms since navigation: ${marks.map(([name, t]) => `${name} ${t}`).join(", ")}`);
  const status = await page.textContent("#status");
  // the overview strip reads after the first view; let it finish so that it does not colour the pans
  await page.waitForFunction('document.documentElement.dataset.overview === "ready"', undefined, { timeout: 300_000 });

  const aheadReady = () => page.waitForFunction('document.documentElement.dataset.ahead === "ready"', undefined, { timeout: 300_000 });
  /** Presses `key` and returns the milliseconds to "ready" with the new view drawn. */
  const timeKey = async (key: string) => {
    const drawn = await drawnMarks();
    const t = performance.now();
    await page.keyboard.press(key);
    await ready(drawn);
    return performance.now() - t;
  };
  // pans after the viewer has read the next window ahead, as while a user looks at each view
  const panMs: number[] = [];
  const panBytes: number[] = [];
  const requests: number[] = [];
  for (let i = 0; i < PANS; i++) {
    await aheadReady();
    server.clear();
    panMs.push(await timeKey("Shift+ArrowRight")); // one whole window on
    // what this view cost: the next window, read ahead
    await aheadReady();
    panBytes.push(await fetched());
    requests.push((await server.log()).length);
  }
  // pans right after the last, the read ahead still under way
  await aheadReady();
  const quickPanMs: number[] = [];
  for (let i = 0; i < PANS; i++) quickPanMs.push(await timeKey("Shift+ArrowRight"));
  // jumps to windows not in memory, by clicks on the overview strip (which centres the view there)
  const jumpMs: number[] = [];
  const strip = (await page.evaluate(`document.querySelector("canvas#overview").clientWidth`)) as number;
  for (const second of [45.5, 5.5, 35.5, 28.5, 52.5]) {
    await aheadReady();
    const drawn = await drawnMarks();
    const t = performance.now();
    await page.click("canvas#overview", { position: { x: (second / SECONDS) * strip, y: 10 } });
    await ready(drawn);
    jumpMs.push(performance.now() - t);
  }
  if (process.env.BENCH_PROFILE) {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.start");
    for (let i = 0; i < 3; i++) {
      const drawn = await drawnMarks();
      await page.keyboard.press("Shift+ArrowRight");
      await ready(drawn);
    }
    const { profile } = await cdp.send("Profiler.stop");
    const { writeFileSync } = await import("node:fs");
    mkdirSync(process.env.BENCH_PROFILE, { recursive: true });
    writeFileSync(join(process.env.BENCH_PROFILE, "page.cpuprofile"), JSON.stringify(profile));
  }
  const panMarks = (await page.evaluate(`(() => {
    const last = {};
    for (const m of performance.getEntriesByType("mark")) last[m.name] = m.startTime;
    return [Math.round(last["view:decoded"] - last["view:read"]), Math.round(last["view:drawn"] - last["view:decoded"])];
  })()`)) as [number, number];
  console.log(`last pan: read and decode ${panMarks[0]} ms, draw ${panMarks[1]} ms`);
  // a string, so that tsx's transform (which names functions with a helper) leaves it as written
  const dragMs = (await page.evaluate(`(() => {
    const canvas = document.querySelector("canvas#plot");
    const box = canvas.getBoundingClientRect();
    const at = (x) => ({ clientX: box.left + x, clientY: box.top + 100, pointerId: 1, bubbles: true });
    canvas.dispatchEvent(new PointerEvent("pointerdown", at(700)));
    const before = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data.join();
    // timers are coarse in a page: time 60 moves together (each redraws the moved frame)
    const t = performance.now();
    for (let i = 1; i <= 60; i++) canvas.dispatchEvent(new PointerEvent("pointermove", at(700 - 5 * i)));
    const each = (performance.now() - t) / 60;
    const after = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data.join();
    canvas.dispatchEvent(new PointerEvent("pointercancel", at(400)));
    if (before === after) throw new Error("dragging did not move the drawing");
    return each;
  })()`)) as number;
  const results = {
    recording: `${SECONDS} s x ${CHANNELS} channels int16 at ${RATE} Hz, flacarray Zarr (level 5, 1 s chunks), ${(compressed / 1e6).toFixed(1)} MB compressed`,
    firstViewMs,
    panMs: median(panMs),
    quickPanMs: median(quickPanMs),
    jumpMs: median(jumpMs),
    bytesPerView: median(panBytes),
    compressedBytesOnScreen: onScreen,
    bytesRatio: median(panBytes) / onScreen,
    requestsPerView: median(requests),
    dragFrameMs: dragMs,
    status,
  };
  console.log(`\n${results.recording}; Chromium headless, 1400 x 900 px, loopback HTTP; medians of ${PANS}\n`);
  console.log("| measure | target | measured |\n|---|---|---|");
  console.log(`| first view, 1 s x 385 channels: navigation to ready | < 1000 ms | ${firstViewMs.toFixed(0)} ms |`);
  console.log(`| pan by one window: key to ready, the window read ahead | < 300 ms | ${results.panMs.toFixed(0)} ms |`);
  console.log(`| pan by one window right after the last (read ahead under way) | | ${results.quickPanMs.toFixed(0)} ms |`);
  console.log(`| jump to a window not in memory (a click on the overview) | | ${results.jumpMs.toFixed(0)} ms |`);
  console.log(
    `| bytes fetched per view / compressed bytes on screen | <= 2x | ${(results.bytesPerView / 1e6).toFixed(2)} MB / ${(onScreen / 1e6).toFixed(2)} MB = ${results.bytesRatio.toFixed(2)}x (${results.requestsPerView} requests) |`,
  );
  console.log(`| frame while dragging (what is drawn, moved) | < 16 ms | ${dragMs.toFixed(2)} ms |`);
  writeResults("viewer", results);
} finally {
  await browser.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
