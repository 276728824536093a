/**
 * Drawing a decimated window on a 2D canvas: stacked traces (one per channel, uniform offset,
 * labels, a time axis) or a heatmap (channels x time, colour = amplitude). Canvas 2D is
 * enough: both modes write the plot's pixels into one ImageData (a few ms for 385 channels x
 * 1400 columns), and panning moves the drawn bitmap (see viewer.ts).
 */
import type { ColumnExtremes } from "./decimate.js";

/** Room for channel labels on the left, and for the time axis at the bottom, in CSS pixels. */
export const LABEL_WIDTH = 72;
export const AXIS_HEIGHT = 28;

/** What a frame shows. */
export interface Frame {
  extremes: ColumnExtremes;
  /** Each channel's centre, drawn on its baseline. */
  centre: Float64Array;
  /** Counts per unit of spread: the traces' scale is `gain / (8 * typical spread)` of a row's height. */
  spread: number;
  gain: number;
  labels: string[];
  /** First and last second of the window. */
  start: number;
  stop: number;
  /** µV per count when known (one value for the scale bar), else undefined. */
  microvoltsPerCount: number | undefined;
}

/** The plot area in device pixels. */
export interface Area {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The image each canvas's plot was last drawn in: reused, as fresh memory costs more to touch than drawing. */
const images = new WeakMap<CanvasRenderingContext2D, ImageData>();

/** An image of `width` x `height` pixels for `ctx`'s plot (its old pixels are overwritten by the caller). */
function imageFor(ctx: CanvasRenderingContext2D, width: number, height: number): ImageData {
  let image = images.get(ctx);
  if (image?.width !== width || image.height !== height) {
    image = ctx.createImageData(width, height);
    images.set(ctx, image);
  }
  return image;
}

/** The ink of traces, as one little-endian RGBA word (#111, opaque). */
const INK = 0xff111111;
const PAPER = 0xffffffff;

/**
 * Stacked traces: channel i's baseline at the middle of row i. Each pixel column of a channel is
 * inked from its min to its max, joined to the column before; pixels are written directly (one
 * vertical run per column and channel) rather than stroked as paths, which costs far more for
 * 385 x 1400 columns.
 */
export function drawTraces(ctx: CanvasRenderingContext2D, frame: Frame, area: Area): void {
  const { extremes, centre } = frame;
  const { channels, columns, min, max } = extremes;
  const width = Math.max(1, Math.round(area.width));
  const height = Math.max(1, Math.round(area.height));
  const image = imageFor(ctx, width, height);
  const pixels = new Uint32Array(image.data.buffer);
  pixels.fill(PAPER);
  const row = height / channels;
  const scale = (frame.gain * row) / (8 * Math.max(frame.spread, 1e-12));
  const shown = Math.min(columns, width);
  for (let ch = 0; ch < channels; ch++) {
    const baseline = (ch + 0.5) * row;
    const c0 = centre[ch] as number;
    let previous = 0;
    for (let c = 0, i = ch * columns; c < shown; c++, i++) {
      const yLow = baseline - ((min[i] as number) - c0) * scale;
      const yHigh = baseline - ((max[i] as number) - c0) * scale;
      // from the column before's end to this column's min, then up to its max (at least one pixel)
      if (c === 0) previous = yLow;
      const top = Math.max(0, Math.floor(Math.min(yHigh, yLow - 1, previous)));
      const bottom = Math.min(height - 1, Math.floor(Math.max(yLow, previous)));
      for (let y = top, at = top * width + c; y <= bottom; y++, at += width) pixels[at] = INK;
      previous = yHigh;
    }
  }
  ctx.putImageData(image, Math.round(area.left), Math.round(area.top));
}

/** Colour of a signed, normalised amplitude: blue (negative), white (0), red (positive). */
function colour(x: number, out: Uint8ClampedArray, at: number): void {
  const t = Math.max(-1, Math.min(1, x));
  const fade = Math.round(255 * (1 - Math.abs(t)));
  out[at] = t >= 0 ? 255 : fade;
  out[at + 1] = fade;
  out[at + 2] = t >= 0 ? fade : 255;
  out[at + 3] = 255;
}

/** Heatmap: one row band per channel, one pixel per column; colour = the column's largest deviation from the centre. */
export function drawHeatmap(ctx: CanvasRenderingContext2D, frame: Frame, area: Area): void {
  const { extremes, centre } = frame;
  const { channels, columns, min, max } = extremes;
  const width = Math.max(1, Math.round(area.width));
  const height = Math.max(1, Math.round(area.height));
  const image = imageFor(ctx, width, height);
  const full = (4 * Math.max(frame.spread, 1e-12)) / frame.gain;
  for (let y = 0; y < height; y++) {
    const ch = Math.min(channels - 1, Math.floor((y * channels) / height));
    const c0 = centre[ch] as number;
    for (let x = 0; x < width; x++) {
      const c = Math.min(columns - 1, x);
      const i = ch * columns + c;
      const low = (min[i] as number) - c0;
      const high = (max[i] as number) - c0;
      colour((Math.abs(low) > Math.abs(high) ? low : high) / full, image.data, 4 * (y * width + x));
    }
  }
  ctx.putImageData(image, Math.round(area.left), Math.round(area.top));
}

/** Channel labels (where rows are tall enough) and the time axis in seconds. */
export function drawLabels(ctx: CanvasRenderingContext2D, frame: Frame, area: Area, pixelRatio: number): void {
  const channels = frame.labels.length;
  const row = area.height / channels;
  ctx.fillStyle = "#333";
  ctx.font = `${11 * pixelRatio}px system-ui, sans-serif`;
  ctx.textBaseline = "middle";
  ctx.textAlign = "right";
  const every = Math.max(1, Math.ceil((12 * pixelRatio) / row));
  for (let ch = 0; ch < channels; ch += every)
    ctx.fillText(frame.labels[ch] as string, area.left - 6 * pixelRatio, area.top + (ch + 0.5) * row);
  // time axis: about one tick per 100 CSS pixels, at a round step
  const seconds = frame.stop - frame.start;
  const raw = (seconds * 100 * pixelRatio) / area.width;
  const step = [1, 2, 5].map((m) => m * 10 ** Math.floor(Math.log10(raw))).find((s) => s >= raw) ?? 10 ** Math.ceil(Math.log10(raw));
  const axisY = area.top + area.height;
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  ctx.strokeStyle = "#999";
  ctx.beginPath();
  for (let t = Math.ceil(frame.start / step) * step; t <= frame.stop + 1e-12; t += step) {
    const x = area.left + ((t - frame.start) / seconds) * area.width;
    ctx.moveTo(x, axisY);
    ctx.lineTo(x, axisY + 4 * pixelRatio);
    ctx.fillText(`${Number(t.toPrecision(6))} s`, x, axisY + 6 * pixelRatio);
  }
  ctx.stroke();
  if (frame.microvoltsPerCount !== undefined) {
    const uv = (8 * frame.spread * frame.microvoltsPerCount) / frame.gain;
    ctx.textAlign = "left";
    ctx.fillText(`row height = ${Number(uv.toPrecision(3))} µV`, 4 * pixelRatio, axisY + 6 * pixelRatio);
  }
}
