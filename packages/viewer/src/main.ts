/**
 * The viewer page: opens `?src=` (or a file the user picks or drops, read as a Blob and never
 * uploaded), and turns mouse, wheel, keyboard and control input into new views.
 */
import { startWorkers } from "@flacarray/core";
import { openRecording } from "@flacarray/recording";
import { Overview } from "./overview.js";
import { formatViewState, parseViewState, type ViewState } from "./url-state.js";
import { plotArea, setPageState, Viewer } from "./viewer.js";

/** Workers that decode: one per core, up to 4. */
const WORKERS = Math.min(4, navigator.hardwareConcurrency || 2);
// they load while the page sets up and the recording's metadata is fetched, not after
startWorkers(WORKERS);

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const canvas = $<HTMLCanvasElement>("plot");
const overviewCanvas = $<HTMLCanvasElement>("overview");
let overview: Overview | undefined;
const status = $("status");
const main = $("main");
const inputs = {
  src: $<HTMLInputElement>("src"),
  ch0: $<HTMLInputElement>("ch0"),
  ch1: $<HTMLInputElement>("ch1"),
  gain: $<HTMLInputElement>("gain"),
  mode: $<HTMLSelectElement>("mode"),
};

const viewer = new Viewer({
  canvas,
  status,
  onViewChange(state, rec) {
    inputs.ch0.value = String(state.channels?.[0] ?? 0);
    inputs.ch1.value = String(state.channels?.[1] ?? rec.nChannels);
    inputs.ch1.max = inputs.ch0.max = String(rec.nChannels);
    inputs.gain.value = String(Math.log2(state.gain));
    inputs.mode.value = state.mode;
    overview?.draw(windowFraction());
  },
});

/** The window on screen as fractions of the recording, for the overview. */
function windowFraction(): [number, number] | undefined {
  const rec = viewer.current;
  const view = viewer.view;
  if (!rec || !view) return undefined;
  const seconds = rec.nSamples / (rec.sampleRate ?? 1);
  return [view.start / seconds, (view.start + view.duration) / seconds];
}

/** Sizes the canvas to its box in device pixels. */
function fitCanvas(): void {
  const ratio = devicePixelRatio || 1;
  canvas.width = Math.max(1, Math.round(canvas.clientWidth * ratio));
  canvas.height = Math.max(1, Math.round(canvas.clientHeight * ratio));
  overviewCanvas.width = Math.max(1, Math.round(overviewCanvas.clientWidth * ratio));
  overviewCanvas.height = Math.max(1, Math.round(overviewCanvas.clientHeight * ratio));
}

/** Opens a source and shows it at `state`; failures show the error state. */
async function open(source: string | Blob, state: ViewState): Promise<void> {
  setPageState(status, "loading", "opening…");
  performance.mark("view:open");
  try {
    const rec = await openRecording(source, { group: state.group, workers: WORKERS });
    performance.mark("view:opened");
    overview?.cancel();
    overview = undefined;
    await viewer.show(rec, state);
    // the overview reads only after the first view is drawn, so it never delays it
    overview = new Overview(rec, overviewCanvas);
    void overview.compute(windowFraction).catch(() => {});
  } catch (err) {
    setPageState(status, "error", `${(err as Error).name}: ${(err as Error).message}`);
  }
}

/** Applies a change to the current view. */
function update(change: Partial<ViewState>): void {
  const view = viewer.view;
  if (view) void viewer.go({ ...view, ...change });
}

/** Zooms time by `factor` around the fraction `at` (0-1) of the window. */
function zoom(factor: number, at = 0.5): void {
  const view = viewer.view;
  if (!view) return;
  const duration = view.duration * factor;
  update({ duration, start: view.start + (view.duration - duration) * at });
}

inputs.src.form?.addEventListener("submit", (event) => {
  event.preventDefault();
  const state = { ...parseViewState(""), src: inputs.src.value };
  history.replaceState(null, "", formatViewState(state));
  void open(inputs.src.value, state);
});
$<HTMLInputElement>("file").addEventListener("change", (event) => {
  const file = (event.target as HTMLInputElement).files?.[0];
  if (file) void open(file, { ...parseViewState(""), src: undefined });
});
main.addEventListener("dragover", (event) => {
  event.preventDefault();
  main.classList.add("dragover");
});
main.addEventListener("dragleave", () => main.classList.remove("dragover"));
main.addEventListener("drop", (event) => {
  event.preventDefault();
  main.classList.remove("dragover");
  const file = event.dataTransfer?.files[0];
  if (file) void open(file, { ...parseViewState(""), src: undefined });
});
const channelsFromInputs = () => update({ channels: [Number(inputs.ch0.value), Number(inputs.ch1.value)] });
inputs.ch0.addEventListener("change", channelsFromInputs);
inputs.ch1.addEventListener("change", channelsFromInputs);
inputs.gain.addEventListener("change", () => update({ gain: 2 ** Number(inputs.gain.value) }));
inputs.mode.addEventListener("change", () => update({ mode: inputs.mode.value === "heatmap" ? "heatmap" : "traces" }));

document.addEventListener("keydown", (event) => {
  const view = viewer.view;
  if (!view || (event.target as HTMLElement).tagName === "INPUT") return;
  const step = event.shiftKey ? view.duration : view.duration / 2;
  const [c0, c1] = view.channels ?? [0, 1];
  const span = c1 - c0;
  if (event.key === "ArrowRight") update({ start: view.start + step });
  else if (event.key === "ArrowLeft") update({ start: view.start - step });
  else if (event.key === "+" || event.key === "=") zoom(0.5);
  else if (event.key === "-") zoom(2);
  else if (event.key === "ArrowDown" || event.key === "PageDown") update({ channels: [c0 + span, c1 + span] });
  else if (event.key === "ArrowUp" || event.key === "PageUp") update({ channels: [Math.max(0, c0 - span), Math.max(span, c1 - span)] });
  else if (event.key === "m") update({ mode: view.mode === "traces" ? "heatmap" : "traces" });
  else return;
  event.preventDefault();
});
canvas.addEventListener(
  "wheel",
  (event) => {
    event.preventDefault();
    const area = plotArea(canvas);
    const at = Math.min(1, Math.max(0, (event.offsetX * (devicePixelRatio || 1) - area.left) / area.width));
    zoom(event.deltaY > 0 ? 1.25 : 0.8, at);
  },
  { passive: false },
);
let dragFrom: number | undefined;
canvas.addEventListener("pointerdown", (event) => {
  dragFrom = event.clientX;
  viewer.startDrag();
  canvas.setPointerCapture(event.pointerId);
});
canvas.addEventListener("pointermove", (event) => {
  if (dragFrom !== undefined) viewer.dragTo((event.clientX - dragFrom) * (devicePixelRatio || 1));
});
canvas.addEventListener("pointerup", (event) => {
  const view = viewer.view;
  if (dragFrom === undefined || !view) return;
  const dx = (event.clientX - dragFrom) * (devicePixelRatio || 1);
  dragFrom = undefined;
  if (dx !== 0) update({ start: view.start - (dx / plotArea(canvas).width) * view.duration });
});
overviewCanvas.addEventListener("click", (event) => {
  const rec = viewer.current;
  const view = viewer.view;
  if (!rec || !view) return;
  const seconds = rec.nSamples / (rec.sampleRate ?? 1);
  update({ start: (event.offsetX / overviewCanvas.clientWidth) * seconds - view.duration / 2 });
});
canvas.addEventListener("pointercancel", () => {
  if (dragFrom === undefined) return;
  dragFrom = undefined;
  update({}); // redraw where the view still is
});
let resizeTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    fitCanvas();
    update({});
  }, 150);
});

fitCanvas();
const initial = parseViewState(location.search);
if (initial.src) {
  inputs.src.value = initial.src;
  void open(new URL(initial.src, location.href).href, initial);
} else setPageState(status, "ready", "Open a recording by URL, or pick or drop a file.");
