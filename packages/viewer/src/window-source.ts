/**
 * Where the viewer's windows come from: reads of one recording, decimated to pixel columns as
 * they arrive. The decoded samples of the windows around the one on screen stay in memory, and
 * the next window along is read ahead while the user looks, so that a pan reads only the rows it
 * does not already have (none, when it goes where the user was going).
 */
import type { Recording } from "@flacarray/recording";
import { type ColumnExtremes, channelLevels } from "./decimate.js";

/** Samples x channels read per request: bounds memory for long windows (16M int16 values are 32 MB). */
const PIECE_VALUES = 16_000_000;
/**
 * Windows of at most this many values keep their samples (and get the next one read ahead) by
 * default: a 1 s x 385-channel window is 11.6M values, 23 MB as int16, and three windows are kept.
 */
const KEPT_WINDOW_VALUES = 16_000_000;
/** Channels per block of a window's channels, read at once; and the spare arrays kept for reads. */
const BLOCK_CHANNELS = 64;
const MAX_SPARES = 8;

/** The arrays windows are read into, by recording dtype. */
const SAMPLE_ARRAYS = { int16: Int16Array, int32: Int32Array, float32: Float32Array } as const;
type SampleArray = Int16Array | Int32Array | Float32Array;

/** A window as the plot asks for it: rows `[first, last)` of channels `[c0, c1)`. */
export interface PlotWindow {
  first: number;
  last: number;
  c0: number;
  c1: number;
}

/** Each channel's centre and signal size, from the window's first rows (see {@link channelLevels}). */
export interface WindowLevels {
  centre: Float64Array;
  spread: Float64Array;
}

/** One block of channels of a piece, `[from, to)` of the window's channels, time-major once read. */
interface PieceBlock {
  from: number;
  to: number;
  data: SampleArray;
  read: Promise<void>;
}

/** Rows `[first, last)` of channels `[c0, c1)`, read (or being read) as blocks of channels. */
interface Piece {
  first: number;
  last: number;
  c0: number;
  c1: number;
  blocks: PieceBlock[];
  /** Settles when every block has; rejects when one failed (the piece then leaves the cache). */
  read: Promise<void>;
}

/** `[from, to)` blocks of about {@link BLOCK_CHANNELS} of `width` channels (at most 8). */
function channelBlocks(width: number): [number, number][] {
  const count = Math.min(8, Math.max(1, Math.round(width / BLOCK_CHANNELS)));
  return Array.from({ length: count }, (_, i) => [Math.floor((i * width) / count), Math.floor(((i + 1) * width) / count)]);
}

/** The row intervals of `[first, last)` that no interval of `covered` holds, in order. */
export function missingRows(first: number, last: number, covered: readonly { first: number; last: number }[]): [number, number][] {
  const sorted = [...covered].sort((a, b) => a.first - b.first);
  const missing: [number, number][] = [];
  let at = first;
  for (const c of sorted) {
    if (c.last <= at || c.first >= last) continue;
    if (c.first > at) missing.push([at, c.first]);
    at = Math.max(at, c.last);
    if (at >= last) break;
  }
  if (at < last) missing.push([at, last]);
  return missing;
}

/** Reads windows of one recording into column extremes, keeping the samples of nearby windows. */
export class WindowSource {
  private pieces: Piece[] = [];
  /** Arrays of pieces dropped, kept for the next reads: fresh memory costs more than decoding. */
  private readonly spares: SampleArray[] = [];

  private readonly keptWindowValues: number;

  /**
   * @param options.keptWindowValues - the most values (samples x channels) a window may have to
   *   keep its samples in memory; longer windows are read piece by piece each time
   */
  constructor(
    readonly recording: Recording,
    options: { keptWindowValues?: number } = {},
  ) {
    this.keptWindowValues = options.keptWindowValues ?? KEPT_WINDOW_VALUES;
  }

  /**
   * Adds window `w` to `extremes` (whose rows are the window's), reading the rows not in memory.
   * `stale` says when the window is no longer wanted: reading stops between pieces.
   * @returns the channels' levels, or undefined when the window went stale
   */
  async decimate(w: PlotWindow, extremes: ColumnExtremes, stale: () => boolean): Promise<WindowLevels | undefined> {
    const width = w.c1 - w.c0;
    const levels: WindowLevels = { centre: new Float64Array(width), spread: new Float64Array(width) };
    const add = async (piece: Piece) => {
      // every block settles before anything fails: none is still writing an array that goes back to the spares
      const results = await Promise.allSettled(
        piece.blocks.map(async (block) => {
          await block.read;
          if (stale()) return;
          const from = Math.max(piece.first, w.first);
          const to = Math.min(piece.last, w.last);
          const blockWidth = block.to - block.from;
          const rows = block.data.subarray((from - piece.first) * blockWidth, (to - piece.first) * blockWidth);
          if (from === w.first) {
            const { centre, spread } = channelLevels(rows, to - from, blockWidth);
            levels.centre.set(centre, block.from);
            levels.spread.set(spread, block.from);
          }
          extremes.add(rows, from - w.first, to - from, block.from, blockWidth);
        }),
      );
      const failed = results.find((r) => r.status === "rejected");
      if (failed) throw failed.reason;
    };
    if (!this.keeps(w)) {
      // too long to keep: piece by piece, each array back to the spares once added
      for (let at = w.first; at < w.last && !stale(); at += this.rowsPerPiece(width)) {
        const piece = this.readPiece({ ...w, first: at, last: Math.min(w.last, at + this.rowsPerPiece(width)) });
        try {
          await add(piece);
        } finally {
          await piece.read.catch(() => undefined);
          this.release(piece);
        }
      }
      return stale() ? undefined : levels;
    }
    this.keepAround(w);
    this.readMissing(w);
    const overlapping = this.pieces.filter((p) => sameChannels(p, w) && p.first < w.last && p.last > w.first);
    await Promise.all(overlapping.map(add));
    return stale() ? undefined : levels;
  }

  /**
   * Reads window `w` into memory ahead of need, unless it is kept already or too long to keep.
   * A failure is forgotten here: the window is read again when it is asked for, and fails then.
   * @returns when the reads it started have settled
   */
  async readAhead(w: PlotWindow): Promise<void> {
    if (!this.keeps(w) || w.first < 0 || w.last > this.recording.nSamples || w.last <= w.first) return;
    await Promise.allSettled(this.readMissing(w).map((piece) => piece.read));
  }

  /** Whether window `w` keeps its samples in memory (see the constructor's `keptWindowValues`). */
  keeps(w: PlotWindow): boolean {
    return (w.last - w.first) * (w.c1 - w.c0) <= this.keptWindowValues;
  }

  /** Starts reading the rows of `w` that no piece holds or is reading; returns the pieces started. */
  private readMissing(w: PlotWindow): Piece[] {
    const same = this.pieces.filter((p) => sameChannels(p, w));
    const started: Piece[] = [];
    for (const [first, last] of missingRows(w.first, w.last, same)) {
      for (let at = first; at < last; at += this.rowsPerPiece(w.c1 - w.c0)) {
        const piece = this.readPiece({ ...w, first: at, last: Math.min(last, at + this.rowsPerPiece(w.c1 - w.c0)) });
        this.pieces.push(piece);
        started.push(piece);
        // a piece that failed leaves the cache, so that the next window that needs it reads it again
        piece.read.catch(() => {
          this.pieces = this.pieces.filter((p) => p !== piece);
          this.release(piece);
        });
      }
    }
    return started;
  }

  /** Drops the pieces beyond one window's length either side of `w` (or of other channels), once read. */
  private keepAround(w: PlotWindow): void {
    const span = w.last - w.first;
    const near = (p: Piece) => sameChannels(p, w) && p.last > w.first - span && p.first < w.last + span;
    const dropped = this.pieces.filter((p) => !near(p));
    this.pieces = this.pieces.filter(near);
    for (const piece of dropped) void piece.read.then(() => this.release(piece)).catch(() => undefined);
  }

  private rowsPerPiece(width: number): number {
    return Math.max(1, Math.floor(PIECE_VALUES / width));
  }

  /** Starts reading rows `[first, last)` of channels `[c0, c1)`, one request per block of channels. */
  private readPiece({ first, last, c0, c1 }: PlotWindow): Piece {
    const blocks = channelBlocks(c1 - c0).map(([from, to]): PieceBlock => {
      const data = this.takeSpare((last - first) * (to - from));
      const read = this.recording
        .read({ start: first, stop: last, channels: { start: c0 + from, stop: c0 + to }, out: data })
        .then(() => undefined);
      return { from, to, data, read };
    });
    const read = Promise.allSettled(blocks.map((b) => b.read)).then((results) => {
      const failed = results.find((r) => r.status === "rejected");
      if (failed) throw failed.reason;
    });
    read.catch(() => undefined); // handled by whoever awaits the piece
    return { first, last, c0, c1, blocks, read };
  }

  /** Gives a piece's arrays back to the spares (after every block of it settled). */
  private release(piece: Piece): void {
    for (const block of piece.blocks) this.spares.push(block.data);
    this.spares.splice(0, Math.max(0, this.spares.length - MAX_SPARES));
  }

  /** A spare array that fits (taking it), else a new one: shared memory where workers can write it. */
  private takeSpare(length: number): SampleArray {
    const Type = SAMPLE_ARRAYS[this.recording.dtype];
    const at = this.spares.findIndex((spare) => spare instanceof Type && spare.length >= length);
    if (at >= 0) return this.spares.splice(at, 1)[0] as SampleArray;
    const shared = typeof SharedArrayBuffer !== "undefined" && globalThis.crossOriginIsolated;
    return shared ? new Type(new SharedArrayBuffer(length * Type.BYTES_PER_ELEMENT) as unknown as ArrayBuffer) : new Type(length);
  }
}

function sameChannels(a: { c0: number; c1: number }, b: { c0: number; c1: number }): boolean {
  return a.c0 === b.c0 && a.c1 === b.c1;
}
