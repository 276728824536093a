/**
 * The viewer's controller: opens a recording, reads the window the view asks for (through a
 * {@link WindowSource}, decimated to the plot's pixel columns as it arrives), draws it, reads the
 * next window ahead, and follows the user's pans and zooms. `document.documentElement.dataset.state` is "loading", "ready" (everything
 * requested is drawn) or "error", for scripts and tests to wait on; `dataset.decimation` says
 * which loop reduced the samples to pixel columns ("wasm" or "typescript"); `dataset.ahead` is
 * "loading" while the next window along is read ahead, then "ready".
 */
import type { Recording } from "@flacarray/recording";
import { ColumnExtremes } from "./decimate.js";
import { type Area, AXIS_HEIGHT, drawHeatmap, drawLabels, drawTraces, type Frame, LABEL_WIDTH } from "./draw.js";
import { formatViewState, MAX_DURATION, MIN_DURATION, type ViewState } from "./url-state.js";
import { type PlotWindow, WindowSource } from "./window-source.js";

/** Channels shown when the URL does not say. */
const DEFAULT_CHANNELS = 385;

/** The page elements the viewer draws into. */
export interface ViewerElements {
  canvas: HTMLCanvasElement;
  status: HTMLElement;
  /** Called when the view changes, to reflect it in the controls. */
  onViewChange?: (state: ViewState, recording: Recording) => void;
}

/** Sets the page state scripts wait on, and the status line. */
export function setPageState(status: HTMLElement, state: "loading" | "ready" | "error", message = ""): void {
  document.documentElement.dataset.state = state;
  status.textContent = message;
  status.className = state;
}

/** Opens recordings and shows windows of them. */
export class Viewer {
  private recording: Recording | undefined;
  private source: WindowSource | undefined;
  private state: ViewState | undefined;
  /** Which way the user last moved through time (1 on, -1 back): the window read ahead is the next one that way. */
  private direction = 1;
  /** Incremented by every load, so that a slow load never draws over a newer one. */
  private generation = 0;
  /** The frame on screen when a drag started, redrawn shifted while the user drags. */
  private drawn: HTMLCanvasElement | undefined;

  constructor(private readonly elements: ViewerElements) {}

  /** The recording shown, if any. */
  get current(): Recording | undefined {
    return this.recording;
  }

  /** The view shown, if any. */
  get view(): ViewState | undefined {
    return this.state;
  }

  /** Shows `recording` (closing the previous one) at `state`. */
  async show(recording: Recording, state: ViewState): Promise<void> {
    await this.recording?.close();
    this.recording = recording;
    this.source = new WindowSource(recording);
    this.state = undefined;
    this.direction = 1;
    await this.go(state);
  }

  /** Moves to another view of the same recording: clamps it, updates the URL, reads and draws. */
  async go(next: ViewState): Promise<void> {
    const rec = this.recording;
    if (!rec) return;
    const state = clampView(rec, next);
    if (this.state && state.start !== this.state.start) this.direction = state.start > this.state.start ? 1 : -1;
    this.state = state;
    if (typeof history !== "undefined") history.replaceState(null, "", formatViewState(state));
    this.elements.onViewChange?.(state, rec);
    await this.load(rec, state);
  }

  /** Reads the window (what is not in memory) into column extremes, draws it, then reads the next one ahead. */
  private async load(rec: Recording, state: ViewState): Promise<void> {
    const generation = ++this.generation;
    const { canvas, status } = this.elements;
    const source = this.source as WindowSource;
    setPageState(status, "loading", "loading…");
    performance.mark("view:read");
    try {
      const w = plotWindow(rec, state);
      const width = w.c1 - w.c0;
      const area = plotArea(canvas);
      const extremes = this.takeExtremes(width, Math.max(1, Math.round(area.width)), w.last - w.first);
      const levels = await source.decimate(w, extremes, () => generation !== this.generation);
      if (!levels || generation !== this.generation) return;
      extremes.fillGaps();
      performance.mark("view:decoded");
      const rate = rec.sampleRate ?? 1;
      const names = rec.channelNames;
      const frame: Frame = {
        extremes,
        centre: levels.centre,
        spread: typicalSpread(levels.spread),
        gain: state.gain,
        labels: Array.from({ length: width }, (_, i) => names?.[w.c0 + i] ?? String(w.c0 + i)),
        start: w.first / rate,
        stop: w.last / rate,
        microvoltsPerCount: rec.bitVolts?.[w.c0],
      };
      this.draw(frame, state, area);
      this.spareExtremes = extremes;
      // which decimation loop ran, for scripts and tests ("wasm" or "typescript")
      document.documentElement.dataset.decimation = extremes.kernel;
      performance.mark("view:drawn");
      setPageState(
        status,
        "ready",
        `${describe(rec)} · ${frame.start.toFixed(3)}–${frame.stop.toFixed(3)} s · channels ${w.c0}–${w.c1 - 1}`,
      );
      this.readAhead(rec, source, state, w);
    } catch (err) {
      if (generation !== this.generation) return;
      setPageState(status, "error", `${(err as Error).name}: ${(err as Error).message}`);
    }
  }

  /** Reads the window one length further the way the user last moved, while they look at `here`. */
  private readAhead(rec: Recording, source: WindowSource, state: ViewState, here: PlotWindow): void {
    const root = document.documentElement;
    const token = ++this.aheadToken;
    const next = plotWindow(rec, clampView(rec, { ...state, start: state.start + this.direction * state.duration }));
    // at either end of the recording there is nothing further
    if (next.first === here.first || !source.keeps(next)) {
      root.dataset.ahead = "ready";
      return;
    }
    root.dataset.ahead = "loading";
    void source.readAhead(next).finally(() => {
      if (token === this.aheadToken) root.dataset.ahead = "ready";
    });
  }

  /** Counts the reads ahead started, so that only the last one says when it is done. */
  private aheadToken = 0;

  /** The extremes the last load drew, for the next one of the same size (a load overtaken by another drops its own). */
  private spareExtremes: ColumnExtremes | undefined;

  /** Empty extremes of a window: the spare ones when they fit (taking them), else new ones. */
  private takeExtremes(channels: number, columns: number, rows: number): ColumnExtremes {
    const spare = this.spareExtremes;
    this.spareExtremes = undefined;
    if (spare?.channels !== channels || spare.columns !== columns || spare.rows !== rows)
      return new ColumnExtremes(channels, columns, rows);
    spare.clear();
    return spare;
  }

  private draw(frame: Frame, state: ViewState, area: Area): void {
    const { canvas } = this.elements;
    const ctx = canvas.getContext("2d") as CanvasRenderingContext2D;
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.save();
    ctx.beginPath();
    ctx.rect(area.left, area.top, area.width, area.height);
    ctx.clip();
    if (state.mode === "heatmap") drawHeatmap(ctx, frame, area);
    else drawTraces(ctx, frame, area);
    ctx.restore();
    drawLabels(ctx, frame, area, devicePixelRatio || 1);
    this.hasFrame = true;
  }

  /** Whether a frame has been drawn. */
  private hasFrame = false;

  /** Keeps a copy of the frame on screen, which {@link dragTo} moves (copied only when a drag starts). */
  startDrag(): void {
    const { canvas } = this.elements;
    if (!this.hasFrame) return;
    this.drawn ??= document.createElement("canvas");
    this.drawn.width = canvas.width;
    this.drawn.height = canvas.height;
    (this.drawn.getContext("2d") as CanvasRenderingContext2D).drawImage(canvas, 0, 0);
  }

  /** While dragging: the frame {@link startDrag} kept, moved by `dx` device pixels (no reading, no decoding). */
  dragTo(dx: number): void {
    const { canvas } = this.elements;
    if (!this.drawn || !this.hasFrame) return;
    const ctx = canvas.getContext("2d") as CanvasRenderingContext2D;
    const area = plotArea(canvas);
    ctx.fillStyle = "#fff";
    ctx.fillRect(area.left, area.top, area.width, area.height);
    ctx.drawImage(this.drawn, area.left, area.top, area.width, area.height, area.left + dx, area.top, area.width, area.height);
  }
}

/** The plot area of the canvas, in device pixels. */
export function plotArea(canvas: HTMLCanvasElement): Area {
  const ratio = devicePixelRatio || 1;
  return {
    left: LABEL_WIDTH * ratio,
    top: 4 * ratio,
    width: Math.max(1, canvas.width - LABEL_WIDTH * ratio - 4 * ratio),
    height: Math.max(1, canvas.height - AXIS_HEIGHT * ratio - 4 * ratio),
  };
}

/** `next` moved and cut to fit the recording: a duration it has, a start inside it, channels it has. */
function clampView(rec: Recording, next: ViewState): ViewState {
  const seconds = rec.nSamples / (rec.sampleRate ?? 1);
  const duration = Math.min(MAX_DURATION, Math.max(MIN_DURATION, Math.min(next.duration, seconds)));
  const start = Math.max(0, Math.min(next.start, seconds - duration));
  let channels = next.channels ?? [0, Math.min(rec.nChannels, DEFAULT_CHANNELS)];
  channels = [Math.max(0, Math.min(channels[0], rec.nChannels - 1)), Math.max(1, Math.min(channels[1], rec.nChannels))];
  if (channels[1] <= channels[0]) channels = [channels[0], channels[0] + 1];
  return { ...next, start, duration, channels };
}

/** The rows and channels of `state`, a view {@link clampView} made fit the recording. */
function plotWindow(rec: Recording, state: ViewState): PlotWindow {
  const rate = rec.sampleRate ?? 1;
  const first = Math.max(0, Math.min(rec.nSamples - 1, Math.round(state.start * rate)));
  const last = Math.min(rec.nSamples, Math.max(first + 1, Math.round((state.start + state.duration) * rate)));
  const [c0, c1] = state.channels as [number, number];
  return { first, last, c0, c1 };
}

/** One spread for all channels (a uniform scale): the median of the channels' non-zero spreads. */
function typicalSpread(spread: Float64Array): number {
  const values = Array.from(spread).filter((s) => s > 0);
  if (values.length === 0) return 1;
  values.sort((a, b) => a - b);
  return values[values.length >> 1] as number;
}

/** A recording in a few words. */
function describe(rec: Recording): string {
  const rate = rec.sampleRate ? `${rec.sampleRate} Hz` : "rate unknown";
  return `${rec.format} · ${rec.nChannels} ch · ${rate} · ${rec.dtype}`;
}
