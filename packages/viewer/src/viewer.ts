/**
 * The viewer's controller: opens a recording, reads the window the view asks for (in pieces,
 * decimated to the plot's pixel columns as they arrive), draws it, and follows the user's
 * pans and zooms. `document.documentElement.dataset.state` is "loading", "ready" (everything
 * requested is drawn) or "error", for scripts and tests to wait on; `dataset.decimation` says
 * which loop reduced the samples to pixel columns ("wasm" or "typescript").
 */
import type { Recording } from "@flacarray/recording";
import { ColumnExtremes, channelLevels } from "./decimate.js";
import { type Area, AXIS_HEIGHT, drawHeatmap, drawLabels, drawTraces, type Frame, LABEL_WIDTH } from "./draw.js";
import { formatViewState, MAX_DURATION, MIN_DURATION, type ViewState } from "./url-state.js";

/**
 * Samples x channels read per request: bounds memory for long windows (16M int16 values are
 * 32 MB), while a 1 s x 385-channel window is still one request.
 */
const PIECE_VALUES = 16_000_000;
/** The arrays windows are read into, by recording dtype. */
const SAMPLE_ARRAYS = { int16: Int16Array, int32: Int32Array, float32: Float32Array } as const;
type SampleArray = Int16Array | Int32Array | Float32Array;

/** Channels per block of a window's channels, read at once; and the spare arrays kept for their reads. */
const BLOCK_CHANNELS = 64;
const MAX_SPARES = 8;

/** `[from, to)` blocks of about {@link BLOCK_CHANNELS} of `width` channels (at most 8). */
function channelBlocks(width: number): [number, number][] {
  const count = Math.min(8, Math.max(1, Math.round(width / BLOCK_CHANNELS)));
  return Array.from({ length: count }, (_, i) => [Math.floor((i * width) / count), Math.floor(((i + 1) * width) / count)]);
}

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
  private state: ViewState | undefined;
  /** Incremented by every load, so that a slow load never draws over a newer one. */
  private generation = 0;
  /** The frame on screen when a drag started, redrawn shifted while the user drags. */
  private drawn: HTMLCanvasElement | undefined;
  /** Arrays earlier loads read into, kept for the next: fresh memory costs more than decoding. */
  private readonly spares: SampleArray[] = [];

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
    await this.go(state);
  }

  /** Moves to another view of the same recording: clamps it, updates the URL, reads and draws. */
  async go(next: ViewState): Promise<void> {
    const rec = this.recording;
    if (!rec) return;
    const rate = rec.sampleRate ?? 1;
    const seconds = rec.nSamples / rate;
    const duration = Math.min(MAX_DURATION, Math.max(MIN_DURATION, Math.min(next.duration, seconds)));
    const start = Math.max(0, Math.min(next.start, seconds - duration));
    let channels = next.channels ?? [0, Math.min(rec.nChannels, DEFAULT_CHANNELS)];
    channels = [Math.max(0, Math.min(channels[0], rec.nChannels - 1)), Math.max(1, Math.min(channels[1], rec.nChannels))];
    if (channels[1] <= channels[0]) channels = [channels[0], channels[0] + 1];
    const state: ViewState = { ...next, start, duration, channels };
    this.state = state;
    if (typeof history !== "undefined") history.replaceState(null, "", formatViewState(state));
    this.elements.onViewChange?.(state, rec);
    await this.load(rec, state);
  }

  /** Reads the window in pieces into column extremes, then draws it. */
  private async load(rec: Recording, state: ViewState): Promise<void> {
    const generation = ++this.generation;
    const { canvas, status } = this.elements;
    setPageState(status, "loading", "loading…");
    performance.mark("view:read");
    try {
      const rate = rec.sampleRate ?? 1;
      const first = Math.round(state.start * rate);
      const last = Math.min(rec.nSamples, Math.max(first + 1, Math.round((state.start + state.duration) * rate)));
      const [c0, c1] = state.channels as [number, number];
      const width = c1 - c0;
      const area = plotArea(canvas);
      const extremes = this.takeExtremes(width, Math.max(1, Math.round(area.width)), last - first);
      const centre = new Float64Array(width);
      const spread = new Float64Array(width);
      const rowsPerPiece = Math.max(1, Math.floor(PIECE_VALUES / width));
      // blocks of channels read at once: each is decimated as it arrives, while the others are still fetched
      const blocks = channelBlocks(width);
      for (let at = first; at < last; at += rowsPerPiece) {
        const stop = Math.min(last, at + rowsPerPiece);
        const reads = blocks.map(async ([b0, b1]) => {
          // a load still reading into a spare array (one that a newer load overtook) keeps it
          const out = this.takeSpare(rec.dtype, (stop - at) * (b1 - b0));
          try {
            const { data } = await rec.read({ start: at, stop, channels: { start: c0 + b0, stop: c0 + b1 }, out });
            if (generation !== this.generation) return;
            if (at === first) {
              const levels = channelLevels(data, stop - at, b1 - b0);
              centre.set(levels.centre, b0);
              spread.set(levels.spread, b0);
            }
            extremes.add(data, at - first, stop - at, b0, b1 - b0);
          } finally {
            this.spares.push(out);
            if (this.spares.length > MAX_SPARES) this.spares.shift();
          }
        });
        // every block settles before the next piece (or an error) goes on: none still writes a spare
        const failed = (await Promise.allSettled(reads)).find((r) => r.status === "rejected");
        if (failed) throw failed.reason;
        if (generation !== this.generation) return;
      }
      extremes.fillGaps();
      performance.mark("view:decoded");
      const names = rec.channelNames;
      const frame: Frame = {
        extremes,
        centre,
        spread: typicalSpread(spread),
        gain: state.gain,
        labels: Array.from({ length: width }, (_, i) => names?.[c0 + i] ?? String(c0 + i)),
        start: first / rate,
        stop: last / rate,
        microvoltsPerCount: rec.bitVolts?.[c0],
      };
      this.draw(frame, state, area);
      this.spareExtremes = extremes;
      // which decimation loop ran, for scripts and tests ("wasm" or "typescript")
      document.documentElement.dataset.decimation = extremes.kernel;
      performance.mark("view:drawn");
      setPageState(status, "ready", `${describe(rec)} · ${frame.start.toFixed(3)}–${frame.stop.toFixed(3)} s · channels ${c0}–${c1 - 1}`);
    } catch (err) {
      if (generation !== this.generation) return;
      setPageState(status, "error", `${(err as Error).name}: ${(err as Error).message}`);
    }
  }

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

  /** A spare array that fits (taking it), else a new one: shared memory where workers can write it. */
  private takeSpare(dtype: Recording["dtype"], length: number): SampleArray {
    const Type = SAMPLE_ARRAYS[dtype];
    const at = this.spares.findIndex((spare) => spare instanceof Type && spare.length >= length);
    if (at >= 0) return this.spares.splice(at, 1)[0] as SampleArray;
    const shared = typeof SharedArrayBuffer !== "undefined" && globalThis.crossOriginIsolated;
    return shared ? new Type(new SharedArrayBuffer(length * Type.BYTES_PER_ELEMENT) as unknown as ArrayBuffer) : new Type(length);
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
