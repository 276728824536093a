/**
 * The view a URL describes: `?src=<url>&group=<g>&start=<s>&duration=<s>&channels=<a:b>&mode=traces|heatmap`.
 * Reading a URL and writing one back round-trip, so a shared link reproduces the view.
 */

/** How the samples are drawn. */
export type ViewMode = "traces" | "heatmap";

/** Everything that defines a view. */
export interface ViewState {
  /** The recording's URL; undefined before one is chosen (or for a dropped file). */
  src: string | undefined;
  /** Group of an HDF5 file or Zarr store. */
  group: string | undefined;
  /** First second shown. */
  start: number;
  /** Seconds shown. */
  duration: number;
  /** Channels shown, `[first, last)`; undefined for the default (all, up to a screenful). */
  channels: [number, number] | undefined;
  mode: ViewMode;
  /** Amplitude scale: 1 fits the traces' typical size to their spacing. */
  gain: number;
}

/** Shortest and longest windows, in seconds. */
export const MIN_DURATION = 0.01;
export const MAX_DURATION = 60;

const DEFAULTS: ViewState = { src: undefined, group: undefined, start: 0, duration: 1, channels: undefined, mode: "traces", gain: 1 };

/** A number from a query value, or `fallback` when it is missing or not a finite number. */
function numberOf(value: string | null, fallback: number): number {
  if (value === null || value.trim() === "") return fallback;
  const n = Number(value);
  return Number.isFinite(n) ? n : fallback;
}

/** The view of a query string (`location.search`); bad values fall back to defaults. */
export function parseViewState(search: string): ViewState {
  const q = new URLSearchParams(search);
  const range = /^(\d+):(\d+)$/.exec(q.get("channels") ?? "");
  const first = range ? Number(range[1]) : 0;
  const last = range ? Number(range[2]) : 0;
  return {
    src: q.get("src") || undefined,
    group: q.get("group") || undefined,
    start: Math.max(0, numberOf(q.get("start"), DEFAULTS.start)),
    duration: Math.min(MAX_DURATION, Math.max(MIN_DURATION, numberOf(q.get("duration"), DEFAULTS.duration))),
    channels: range && last > first ? [first, last] : undefined,
    mode: q.get("mode") === "heatmap" ? "heatmap" : "traces",
    gain: Math.max(1e-3, numberOf(q.get("gain"), DEFAULTS.gain)),
  };
}

/** The query string (with `?`) of a view; defaults are left out. */
export function formatViewState(state: ViewState): string {
  const q = new URLSearchParams();
  if (state.src) q.set("src", state.src);
  if (state.group) q.set("group", state.group);
  q.set("start", String(round(state.start)));
  q.set("duration", String(round(state.duration)));
  if (state.channels) q.set("channels", `${state.channels[0]}:${state.channels[1]}`);
  q.set("mode", state.mode);
  if (state.gain !== 1) q.set("gain", String(round(state.gain)));
  return `?${q.toString()}`;
}

/** Six significant decimals, enough for a sample at 100 kHz over a day, without float noise. */
function round(x: number): number {
  return Number(x.toPrecision(9));
}
