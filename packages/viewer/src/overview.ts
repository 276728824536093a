/**
 * The overview strip: the whole recording's activity in one row of bars, computed lazily after
 * the first view (a short read at each of up to 150 places, of at most 8 channels) and kept for
 * the recording; the window on screen is shaded, and a click moves the view there.
 */
import type { Recording } from "@flacarray/recording";

/** Places sampled across the recording, rows read at each, channels read. */
const PLACES = 150;
const ROWS = 256;
const CHANNELS = 8;

/** Activity at each place of a recording: the mean absolute deviation from the median. */
export class Overview {
  private readonly activity: Float32Array;
  private done = 0;
  private cancelled = false;

  constructor(
    private readonly recording: Recording,
    private readonly canvas: HTMLCanvasElement,
  ) {
    this.activity = new Float32Array(Math.min(PLACES, Math.max(1, Math.floor(recording.nSamples / ROWS))));
  }

  /** Reads the places one after another, drawing as they come; `view` gives the window to shade. */
  async compute(view: () => [number, number] | undefined): Promise<void> {
    const rec = this.recording;
    const places = this.activity.length;
    const step = Math.max(1, Math.floor(rec.nChannels / CHANNELS));
    const channels = Array.from({ length: Math.min(CHANNELS, rec.nChannels) }, (_, i) => i * step);
    for (let k = 0; k < places && !this.cancelled; k++) {
      const start = Math.floor((k * (rec.nSamples - ROWS)) / Math.max(1, places - 1));
      const { data } = await rec.read({ start: Math.max(0, start), stop: Math.min(rec.nSamples, start + ROWS), channels });
      this.activity[k] = meanDeviation(data);
      this.done = k + 1;
      this.draw(view());
    }
    document.documentElement.dataset.overview = this.cancelled ? "cancelled" : "ready";
  }

  /** Stops reading (a new recording was opened). */
  cancel(): void {
    this.cancelled = true;
  }

  /** Draws the bars computed so far and shades `[startFraction, stopFraction)` of the recording. */
  draw(window: [number, number] | undefined): void {
    const { canvas, activity } = this;
    const ctx = canvas.getContext("2d") as CanvasRenderingContext2D;
    const { width, height } = canvas;
    ctx.fillStyle = "#fafafa";
    ctx.fillRect(0, 0, width, height);
    const top = Math.max(1e-9, ...activity.subarray(0, this.done));
    ctx.fillStyle = "#777";
    const bar = width / activity.length;
    for (let k = 0; k < this.done; k++) {
      const h = ((activity[k] as number) / top) * (height - 2);
      ctx.fillRect(k * bar, height - h, Math.max(1, bar - 1), h);
    }
    if (window) {
      ctx.fillStyle = "rgba(30, 100, 230, 0.35)";
      ctx.fillRect(window[0] * width, 0, Math.max(2, (window[1] - window[0]) * width), height);
    }
  }
}

/** Mean absolute deviation from the median of some values. */
function meanDeviation(values: ArrayLike<number>): number {
  const sorted = Array.from(values).sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1] ?? 0;
  let sum = 0;
  for (const v of sorted) sum += Math.abs(v - median);
  return sorted.length ? sum / sorted.length : 0;
}
