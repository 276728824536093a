// The viewer in real Chromium: a synthetic recording with known features (a one-sample spike on
// two channels, a flat channel, a sine) opened through the URL state, checked pixel by pixel in
// both modes, in each source format; panning and zooming; error states; and `flacarray view`.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { createInterface } from "node:readline";
import { compressArray } from "@flacarray/mtscomp";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type StaticServer, serveDirectory } from "../helpers/http-server.js";
import { NUMCODECS_FIXTURES } from "../helpers/numcodecs-fixtures.js";
import { launchChromium, ROOT } from "./harness.js";

const RATE = 30000;
const CHANNELS = 16;
const SECONDS = 3;
const N = RATE * SECONDS;
const SPIKE_AT = 45000; // 1.5 s
const SPIKE_CHANNELS = [2, 3];
/** Flat channels: 5 (below the spike), and 11 and 13 around the sine, so nothing else inks their rows. */
const FLAT = [5, 11, 13];
const SINE = 12;
/** The sine's amplitude in counts: about 1.2 rows at the viewer's scale (a row is 8 noise MADs, about 40 counts). */
const SINE_AMPLITUDE = 50;
const CLI = join(ROOT, "packages/cli/dist/flacarray.mjs");

/** The synthetic recording, time-major int16. */
function synthetic(): Int16Array {
  const data = new Int16Array(N * CHANNELS);
  let seed = 1;
  for (let t = 0; t < N; t++)
    for (let c = 0; c < CHANNELS; c++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      let v = ((seed >>> 16) % 21) - 10; // noise of +-10 counts
      if (FLAT.includes(c)) v = 100;
      if (c === SINE) v = Math.round(SINE_AMPLITUDE * Math.sin((2 * Math.PI * t) / 3000));
      if (t === SPIKE_AT && SPIKE_CHANNELS.includes(c)) v = -4000;
      data[t * CHANNELS + c] = v;
    }
  return data;
}

let browser: Browser;
let server: StaticServer;
let dir: string;
const sources: Record<string, string> = {};

beforeAll(async () => {
  // under the repository, which the test server serves
  mkdirSync(join(ROOT, ".tmp"), { recursive: true });
  dir = mkdtempSync(join(ROOT, ".tmp", "viewer-"));
  const data = synthetic();
  writeFileSync(join(dir, "rec.bin"), data);
  writeFileSync(join(dir, "rec.meta"), `nSavedChans=${CHANNELS}\nimSampRate=${RATE}\nfileSizeBytes=${data.byteLength}\n`);
  const { cbin, header } = await compressArray(data, [N, CHANNELS], { sampleRate: RATE, dtype: "int16", check: false });
  writeFileSync(join(dir, "rec.cbin"), cbin);
  writeFileSync(join(dir, "rec.ch"), header);
  execFileSync(process.execPath, [CLI, "compress", join(dir, "rec.bin"), "-o", join(dir, "rec.zarr"), "--quiet"], { stdio: "pipe" });
  mkdirSync(join(dir, "bad"));
  const damaged = new Uint8Array(cbin);
  damaged.fill(0x55, 2000, 2100);
  writeFileSync(join(dir, "bad", "rec.cbin"), damaged);
  writeFileSync(join(dir, "bad", "rec.ch"), header);
  server = await serveDirectory(ROOT);
  const base = `/${relative(ROOT, dir)}`;
  sources.spikeglx = `${base}/rec.bin`;
  sources.mtscomp = `${base}/rec.cbin`;
  sources.zarr = `${base}/rec.zarr`;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Opens the viewer at `query` and waits for "ready" or "error". */
async function openViewer(query: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1000, height: 700 }, deviceScaleFactor: 1 });
  await page.goto(`${server.url}/packages/viewer/dist/index.html?${query}`);
  await waitSettled(page);
  return page;
}

async function waitSettled(page: Page): Promise<string> {
  await page.waitForFunction(() => ["ready", "error"].includes(document.documentElement.dataset.state ?? ""), undefined, {
    timeout: 60_000,
  });
  return (await page.evaluate(() => document.documentElement.dataset.state)) as string;
}

/** Pixel statistics of the plot, read from the canvas: per channel row and column band. */
interface Plot {
  left: number;
  top: number;
  width: number;
  height: number;
  /** Dark pixels (trace ink) in rows [y0, y1) and columns [x0, x1) of the canvas. */
  dark(x0: number, x1: number, y0: number, y1: number): number;
  /** Mean colour of a region. */
  colour(x0: number, x1: number, y0: number, y1: number): [number, number, number];
}

async function plotOf(page: Page): Promise<Plot> {
  const { width, height, base64 } = await page.evaluate(() => {
    const canvas = document.querySelector("canvas#plot") as HTMLCanvasElement;
    const ctx = canvas.getContext("2d") as CanvasRenderingContext2D;
    const bytes = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let binary = "";
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { width: canvas.width, height: canvas.height, base64: btoa(binary) };
  });
  const pixels = Buffer.from(base64, "base64");
  const at = (x: number, y: number) => 4 * (y * width + x);
  const region = (x0: number, x1: number, y0: number, y1: number, f: (i: number) => void) => {
    for (let y = Math.max(0, Math.floor(y0)); y < Math.min(height, Math.ceil(y1)); y++)
      for (let x = Math.max(0, Math.floor(x0)); x < Math.min(width, Math.ceil(x1)); x++) f(at(x, y));
  };
  return {
    left: 72,
    top: 4,
    width: width - 76,
    height: height - 32,
    dark(x0, x1, y0, y1) {
      let n = 0;
      region(x0, x1, y0, y1, (i) => {
        if ((pixels[i] as number) < 128 && (pixels[i + 1] as number) < 128) n++;
      });
      return n;
    },
    colour(x0, x1, y0, y1) {
      const sum = [0, 0, 0];
      let n = 0;
      region(x0, x1, y0, y1, (i) => {
        for (let k = 0; k < 3; k++) sum[k] = (sum[k] as number) + (pixels[i + k] as number);
        n++;
      });
      return sum.map((s) => s / Math.max(1, n)) as [number, number, number];
    },
  };
}

/** The row band of channel `c` of `n`. */
const rowOf = (plot: Plot, c: number, n: number): [number, number] => [
  plot.top + (c * plot.height) / n,
  plot.top + ((c + 1) * plot.height) / n,
];

/** The pixel column of second `t` in a window `[start, start + duration)`. */
const columnOf = (plot: Plot, t: number, start: number, duration: number) => plot.left + Math.floor(((t - start) / duration) * plot.width);

/** Ink in a flat channel's row away from its baseline, in columns [x0, x1). */
function offBaseline(plot: Plot, channel: number, x0: number, x1: number): number {
  const [r0, r1] = rowOf(plot, channel, CHANNELS);
  const mid = (r0 + r1) / 2;
  return plot.dark(x0, x1, r0 + 1, mid - 3) + plot.dark(x0, x1, mid + 3, r1 - 1);
}

/** Checks the traces view of [1, 2) s, all 16 channels: the spike, the flat channels and the sine. */
async function expectTraces(page: Page): Promise<void> {
  const plot = await plotOf(page);
  const spikeX = columnOf(plot, SPIKE_AT / RATE, 1, 1);
  const right = plot.left + plot.width;
  for (const c of FLAT) {
    const [r0, r1] = rowOf(plot, c, CHANNELS);
    const mid = (r0 + r1) / 2;
    expect(plot.dark(plot.left + 2, right - 2, mid - 2, mid + 2), `flat channel ${c} is a line`).toBeGreaterThan(plot.width * 0.95);
  }
  // channel 5's row holds its line and nothing else (the sine's rows are far away) but where the spike crosses it
  expect(offBaseline(plot, 5, plot.left, spikeX - 4) + offBaseline(plot, 5, spikeX + 5, right), "flat channel 5 has nothing else").toBe(0);
  // the one-sample spike on channels 2 and 3 (down, -4000 counts) crosses the flat row 5 at its column, and only there
  expect(offBaseline(plot, 5, spikeX - 2, spikeX + 3), "the spike crosses row 5").toBeGreaterThan(10);
  const [s0, s1] = rowOf(plot, SINE, CHANNELS);
  const baseline = (s0 + s1) / 2;
  const amplitude = SINE_AMPLITUDE * ((s1 - s0) / 40); // pixels, at about 40 counts per row
  const peak = columnOf(plot, 1.025, 1, 1); // sin is +1 a quarter period (0.025 s) after a whole period
  const trough = columnOf(plot, 1.075, 1, 1);
  // ink near the sine's extremes, leaving out the lines of the flat channels 11 and 13 above and below
  const row = s1 - s0;
  const sineInk = (x: number, y: number) => {
    let ink = 0;
    for (let yy = Math.floor(y - amplitude * 0.3); yy < y + amplitude * 0.3; yy++)
      if (Math.abs(yy - (baseline - row)) > 3 && Math.abs(yy - (baseline + row)) > 3) ink += plot.dark(x - 1, x + 2, yy, yy + 1);
    return ink;
  };
  expect(sineInk(peak, baseline - amplitude), "the sine's peak").toBeGreaterThan(0);
  expect(sineInk(trough, baseline + amplitude), "the sine's trough").toBeGreaterThan(0);
  expect(sineInk(peak, baseline + amplitude), "no trough at the peak").toBe(0);
  expect(sineInk(trough, baseline - amplitude), "no peak at the trough").toBe(0);
}

describe("the viewer in Chromium", () => {
  test.each(["spikeglx", "mtscomp", "zarr"])("%s: traces show the spike, the flat channel and the sine where they are", async (kind) => {
    const page = await openViewer(`src=${encodeURIComponent(sources[kind] as string)}&start=1&duration=1&channels=0:16&mode=traces`);
    expect(await page.evaluate(() => document.documentElement.dataset.state), (await page.textContent("#status")) ?? "").toBe("ready");
    // int16 recordings are decimated by the WebAssembly SIMD kernel, which Chromium runs
    expect(await page.evaluate(() => document.documentElement.dataset.decimation)).toBe("wasm");
    await expectTraces(page);
    // the viewer README's screenshot is this view: SCREENSHOT=1 writes it again
    if (kind === "zarr" && process.env.SCREENSHOT) await page.screenshot({ path: join(ROOT, "packages/viewer/screenshot.png") });
    await page.close();
  });

  test("heatmap: the spike is blue on its channels, the flat channel white, the sine red and blue", async () => {
    const page = await openViewer(`src=${encodeURIComponent(sources.zarr as string)}&start=1&duration=1&channels=0:16&mode=heatmap`);
    expect(await page.evaluate(() => document.documentElement.dataset.state)).toBe("ready");
    const plot = await plotOf(page);
    const spikeX = columnOf(plot, SPIKE_AT / RATE, 1, 1);
    for (const c of SPIKE_CHANNELS) {
      const [y0, y1] = rowOf(plot, c, CHANNELS);
      const [r, , b] = plot.colour(spikeX, spikeX + 1, y0 + 3, y1 - 3);
      expect(b, `channel ${c} at the spike`).toBeGreaterThan(240);
      expect(r, `channel ${c} at the spike`).toBeLessThan(60);
      expect(plot.colour(spikeX - 200, spikeX - 100, y0 + 3, y1 - 3)[0], "paler elsewhere").toBeGreaterThan(100);
    }
    for (const c of FLAT) {
      const [f0, f1] = rowOf(plot, c, CHANNELS);
      expect(
        plot.colour(plot.left + 2, plot.left + plot.width - 2, f0 + 3, f1 - 3).every((v) => v > 250),
        `flat channel ${c} is white`,
      ).toBe(true);
    }
    const [s0, s1] = rowOf(plot, SINE, CHANNELS);
    const peak = columnOf(plot, 1.025, 1, 1);
    const trough = columnOf(plot, 1.075, 1, 1);
    const atPeak = plot.colour(peak - 1, peak + 2, s0 + 3, s1 - 3);
    const atTrough = plot.colour(trough - 1, trough + 2, s0 + 3, s1 - 3);
    expect(atPeak[0] - atPeak[2], "red at the sine's peak").toBeGreaterThan(60);
    expect(atTrough[2] - atTrough[0], "blue at its trough").toBeGreaterThan(60);
    await page.close();
  });

  test("panning and zooming change the view and the URL", async () => {
    const page = await openViewer(`src=${encodeURIComponent(sources.zarr as string)}&start=1.2&duration=1&channels=0:16`);
    await page.keyboard.press("ArrowLeft"); // half a window back
    expect(await waitSettled(page)).toBe("ready");
    expect(new URL(page.url()).searchParams.get("start")).toBe("0.7");
    let plot = await plotOf(page);
    const x = columnOf(plot, SPIKE_AT / RATE, 0.7, 1); // the spike is now at 0.8 of [0.7, 1.7)
    expect(offBaseline(plot, 5, x - 2, x + 3)).toBeGreaterThan(10);
    await page.keyboard.press("+"); // zoom in around the middle: [0.95, 1.45)
    expect(await waitSettled(page)).toBe("ready");
    expect(new URL(page.url()).searchParams.get("duration")).toBe("0.5");
    expect(new URL(page.url()).searchParams.get("start")).toBe("0.95");
    plot = await plotOf(page);
    expect(offBaseline(plot, 5, plot.left, plot.left + plot.width), "the spike, at 1.5 s, is out of [0.95, 1.45)").toBe(0);
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    expect(await waitSettled(page)).toBe("ready");
    expect(new URL(page.url()).searchParams.get("start")).toBe("1.45");
    await page.close();
  });

  test("the next window is read ahead: a pan onto it, or half onto it, requests nothing and shows it", async () => {
    const page = await openViewer(`src=${encodeURIComponent(sources.zarr as string)}&start=1&duration=1&channels=0:16`);
    const readAhead = () => page.waitForFunction(() => document.documentElement.dataset.ahead === "ready", undefined, { timeout: 60_000 });
    await readAhead(); // [2, 3), the last second
    // the overview strip reads too; let it finish
    await page.waitForFunction(() => document.documentElement.dataset.overview === "ready", undefined, { timeout: 60_000 });
    server.log.length = 0;
    await page.keyboard.press("ArrowRight"); // half a window on: [1.5, 2.5), from memory
    expect(await waitSettled(page)).toBe("ready");
    await readAhead(); // nothing beyond [2, 3) to read
    expect(new URL(page.url()).searchParams.get("start")).toBe("1.5");
    expect(server.log.map((r) => r.path)).toStrictEqual([]);
    let plot = await plotOf(page);
    // the spike, at 1.5 s, is at the window's left edge, and nowhere else
    expect(offBaseline(plot, 5, plot.left, plot.left + 3)).toBeGreaterThan(10);
    expect(offBaseline(plot, 5, plot.left + 5, plot.left + plot.width)).toBe(0);
    await page.keyboard.press("Shift+ArrowRight"); // a whole window on: [2, 3), the end
    expect(await waitSettled(page)).toBe("ready");
    await readAhead();
    expect(new URL(page.url()).searchParams.get("start")).toBe("2");
    expect(server.log.map((r) => r.path)).toStrictEqual([]);
    plot = await plotOf(page);
    const [r0, r1] = rowOf(plot, 5, CHANNELS);
    expect(plot.dark(plot.left + 2, plot.left + plot.width - 2, (r0 + r1) / 2 - 2, (r0 + r1) / 2 + 2), "flat channel 5").toBeGreaterThan(
      plot.width * 0.95,
    );
    expect(offBaseline(plot, 5, plot.left, plot.left + plot.width), "no spike in [2, 3)").toBe(0);
    await page.close();
  });

  test("the overview strip covers the whole recording and shades the window on screen", async () => {
    const page = await openViewer(`src=${encodeURIComponent(sources.zarr as string)}&start=1&duration=1&channels=0:16`);
    await page.waitForFunction(() => document.documentElement.dataset.overview === "ready", undefined, { timeout: 60_000 });
    const shade = await page.evaluate(() => {
      const canvas = document.querySelector("canvas#overview") as HTMLCanvasElement;
      const ctx = canvas.getContext("2d") as CanvasRenderingContext2D;
      // the blue minus red of the top row, at tenths of the width
      return Array.from({ length: 9 }, (_, i) => {
        const [r, , b] = ctx.getImageData(Math.round(((i + 1) * canvas.width) / 10), 0, 1, 1).data;
        return (b as number) - (r as number);
      });
    });
    // [1, 2) s of 3 s: shaded from 1/3 to 2/3 of the strip (tenths 4, 5 and 6)
    expect(shade.map((d) => d > 40)).toStrictEqual([false, false, false, true, true, true, false, false, false]);
    await page.close();
  });

  test.each([
    ["a URL that is not http(s)", "src=nope%3A%2F%2Fx"],
    ["a 404", "src=%2Fmissing%2Frec.cbin"],
    ["a file that is no recording", "src=/.tmp/not-here.zarr"],
    ["a corrupt chunk", "bad"],
  ])("%s shows the error state with a message", async (_what, query) => {
    const q = query === "bad" ? `src=${encodeURIComponent(`/${relative(ROOT, dir)}/bad/rec.cbin`)}&start=0&duration=1` : query;
    const page = await openViewer(q);
    expect(await page.evaluate(() => document.documentElement.dataset.state)).toBe("error");
    expect((await page.textContent("#status"))?.length).toBeGreaterThan(10);
    await page.close();
  });

  test("a SpikeInterface store of the numcodecs fixtures opens", async () => {
    const store = `/${relative(ROOT, join(NUMCODECS_FIXTURES, "zarr", "npx384_wv2_0.1s.zarr"))}`;
    const page = await openViewer(`src=${encodeURIComponent(store)}&start=0&duration=0.1&mode=heatmap`);
    expect(await page.evaluate(() => document.documentElement.dataset.state), (await page.textContent("#status")) ?? "").toBe("ready");
    expect(await page.textContent("#status")).toContain("spikeinterface-zarr");
    await page.close();
  });
});

describe("flacarray view", () => {
  test("serves the page and the file with Range support; the page shows it", async () => {
    const child = spawn(process.execPath, [CLI, "view", join(dir, "rec.cbin"), "--no-open"], { stdio: ["ignore", "pipe", "pipe"] });
    try {
      const first = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once("line", resolve);
        child.once("exit", (code) => reject(new Error(`exited with ${code}`)));
      });
      const page = new URL(first);
      expect(page.hostname).toBe("127.0.0.1");
      const src = page.searchParams.get("src") as string;
      expect(src).toBe("/data/rec.cbin");
      const ranged = await fetch(new URL(src, page), { headers: { Range: "bytes=100-199" } });
      expect(ranged.status).toBe(206);
      expect(ranged.headers.get("content-range")).toBe(`bytes 100-199/${readFileSync(join(dir, "rec.cbin")).length}`);
      expect(new Uint8Array(await ranged.arrayBuffer())).toStrictEqual(
        new Uint8Array(readFileSync(join(dir, "rec.cbin")).subarray(100, 200)),
      );
      expect((await fetch(new URL("/data/../../etc/passwd", page))).status).toBe(404);
      // served cross-origin isolated, so that the page's workers decode into shared memory
      const html = await fetch(page);
      expect([html.headers.get("cross-origin-opener-policy"), html.headers.get("cross-origin-embedder-policy")]).toStrictEqual([
        "same-origin",
        "require-corp",
      ]);
      const tab = await browser.newPage({ viewport: { width: 1000, height: 700 } });
      await tab.goto(`${page.href}&start=1&duration=1&channels=0:16`);
      expect(await waitSettled(tab), (await tab.textContent("#status")) ?? "").toBe("ready");
      await expectTraces(tab);
      expect(await tab.evaluate(() => crossOriginIsolated)).toBe(true);
      await tab.close();
    } finally {
      child.kill("SIGINT");
    }
  });
});
