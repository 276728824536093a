/**
 * The viewer's window source over a real HTTP server with a request log: windows decimate to the
 * same extremes as a plain read; a window read ahead is then drawn without a request; a window
 * that overlaps one in memory requests only the rows it lacks; a read that fails is read again.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openRecording, type Recording } from "@flacarray/recording/node";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ColumnExtremes } from "../../packages/viewer/src/decimate.js";
import { missingRows, type PlotWindow, WindowSource } from "../../packages/viewer/src/window-source.js";
import { type StaticServer, serveDirectory } from "../helpers/http-server.js";

const CHANNELS = 130; // three blocks of channels
const ROWS = 30000;
const COLUMNS = 97;

let dir: string;
let server: StaticServer;
let data: Int16Array;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "window-source-"));
  data = new Int16Array(ROWS * CHANNELS);
  let seed = 7;
  for (let i = 0; i < data.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    data[i] = ((seed >>> 16) % 2001) - 1000;
  }
  writeFileSync(join(dir, "rec_g0_t0.imec0.ap.bin"), data);
  writeFileSync(join(dir, "rec_g0_t0.imec0.ap.meta"), `nSavedChans=${CHANNELS}\nimSampRate=10000\n`);
  server = await serveDirectory(dir);
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The extremes of window `w` computed straight from the samples written. */
function expected(w: PlotWindow): ColumnExtremes {
  const width = w.c1 - w.c0;
  const rows = new Int16Array((w.last - w.first) * width);
  for (let r = w.first; r < w.last; r++)
    for (let c = w.c0; c < w.c1; c++) rows[(r - w.first) * width + c - w.c0] = data[r * CHANNELS + c] as number;
  const extremes = new ColumnExtremes(width, COLUMNS, w.last - w.first);
  extremes.add(rows, 0, w.last - w.first);
  return extremes;
}

async function decimated(source: WindowSource, w: PlotWindow): Promise<ColumnExtremes> {
  const extremes = new ColumnExtremes(w.c1 - w.c0, COLUMNS, w.last - w.first);
  const levels = await source.decimate(w, extremes, () => false);
  expect(levels?.centre.length).toBe(w.c1 - w.c0);
  return extremes;
}

/** Rows of the data file the logged requests covered. */
const rowsRequested = () =>
  server.log.map((r) => {
    const [a, b] = (r.range ?? "").replace("bytes=", "").split("-").map(Number) as [number, number];
    return [Math.floor(a / (2 * CHANNELS)), Math.ceil((b + 1) / (2 * CHANNELS))];
  });

describe("missing rows", () => {
  test("the gaps that the intervals held leave, in order", () => {
    expect(missingRows(0, 100, [])).toStrictEqual([[0, 100]]);
    expect(missingRows(0, 100, [{ first: 20, last: 40 }])).toStrictEqual([
      [0, 20],
      [40, 100],
    ]);
    expect(
      missingRows(0, 100, [
        { first: 60, last: 120 },
        { first: -10, last: 30 },
        { first: 25, last: 50 },
      ]),
    ).toStrictEqual([[50, 60]]);
    expect(missingRows(10, 20, [{ first: 0, last: 30 }])).toStrictEqual([]);
    expect(missingRows(10, 20, [{ first: 20, last: 30 }])).toStrictEqual([[10, 20]]);
  });
});

describe("the window source", () => {
  let rec: Recording;
  beforeAll(async () => {
    rec = await openRecording(`${server.url}/rec_g0_t0.imec0.ap.bin`, { workers: 0 });
  });
  afterAll(async () => rec?.close());

  test("a window decimates to the extremes of its samples", async () => {
    const w = { first: 1234, last: 11234, c0: 3, c1: 125 };
    const got = await decimated(new WindowSource(rec), w);
    const want = expected(w);
    expect(got.min).toStrictEqual(want.min);
    expect(got.max).toStrictEqual(want.max);
  });

  test("a window read ahead is drawn without a request, and so is one across it and the window before", async () => {
    const source = new WindowSource(rec);
    const here = { first: 5000, last: 10000, c0: 0, c1: CHANNELS };
    const next = { ...here, first: 10000, last: 15000 };
    await decimated(source, here);
    await source.readAhead(next);
    server.log.length = 0;
    const got = await decimated(source, next);
    const across = { ...here, first: 7500, last: 12500 };
    const gotAcross = await decimated(source, across);
    expect(server.log).toStrictEqual([]);
    expect(got.min).toStrictEqual(expected(next).min);
    expect(got.max).toStrictEqual(expected(next).max);
    expect(gotAcross.min).toStrictEqual(expected(across).min);
    expect(gotAcross.max).toStrictEqual(expected(across).max);
  });

  test("a window that overlaps one in memory requests only the rows it lacks", async () => {
    const source = new WindowSource(rec);
    await decimated(source, { first: 0, last: 6000, c0: 10, c1: 90 });
    server.log.length = 0;
    const w = { first: 4000, last: 10000, c0: 10, c1: 90 };
    const got = await decimated(source, w);
    expect(server.log.length).toBeGreaterThan(0);
    for (const [a, b] of rowsRequested()) {
      expect(a).toBeGreaterThanOrEqual(6000);
      expect(b).toBeLessThanOrEqual(10000);
    }
    expect(got.max).toStrictEqual(expected(w).max);
    // other channels are other samples: read again
    server.log.length = 0;
    await decimated(source, { ...w, c0: 11 });
    expect(rowsRequested().some(([a]) => a < 6000)).toBe(true);
  });

  test("a read ahead that fails is forgotten: the window is read again when asked for", async () => {
    const source = new WindowSource(rec);
    const w = { first: 0, last: 3000, c0: 0, c1: 20 };
    server.quirks.failOn = ".bin";
    await source.readAhead(w);
    server.quirks.failOn = undefined;
    server.log.length = 0;
    const got = await decimated(source, w);
    expect(server.log.length).toBeGreaterThan(0);
    expect(got.min).toStrictEqual(expected(w).min);
  });

  test("a window too long to keep is read when asked for, every time, and nothing is read ahead", async () => {
    const source = new WindowSource(rec, { keptWindowValues: 100_000 });
    const w = { first: 0, last: 10_000, c0: 0, c1: CHANNELS };
    expect(source.keeps(w)).toBe(false);
    server.log.length = 0;
    await source.readAhead(w);
    expect(server.log).toStrictEqual([]);
    const got = await decimated(source, w);
    const requests = server.log.length;
    expect(requests).toBeGreaterThan(0);
    await decimated(source, w);
    expect(server.log.length).toBe(2 * requests);
    expect(got.min).toStrictEqual(expected(w).min);
    expect(got.max).toStrictEqual(expected(w).max);
  });
});
