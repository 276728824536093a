/** A progress bar on stderr with rate and time left, drawn only on a terminal (quiet when piped). */

/** Reports progress of a long step. */
export interface Progress {
  /** `done` of `total` units (bytes of raw data) are finished. */
  update(done: number): void;
  /** Clears the bar. */
  end(): void;
}

/**
 * A bar for `total` bytes labelled `label`, or a silent one when stderr is not a terminal or
 * `quiet` is set.
 */
export function progressBar(label: string, total: number, quiet = false): Progress {
  const stream = process.stderr;
  if (quiet || !stream.isTTY) return { update() {}, end() {} };
  const started = performance.now();
  let last = 0;
  const draw = (done: number) => {
    const seconds = (performance.now() - started) / 1000;
    const rate = done / Math.max(seconds, 1e-3);
    const left = rate > 0 ? (total - done) / rate : 0;
    const width = 30;
    const filled = Math.round((width * done) / Math.max(total, 1));
    const bar = `${"#".repeat(filled)}${"-".repeat(width - filled)}`;
    stream.write(
      `\r${label} [${bar}] ${((100 * done) / Math.max(total, 1)).toFixed(0).padStart(3)}% ${(rate / 1e6).toFixed(1)} MB/s, ${formatSeconds(left)} left  `,
    );
  };
  return {
    update(done) {
      const now = performance.now();
      if (now - last < 100 && done < total) return;
      last = now;
      draw(done);
    },
    end() {
      stream.write("\r\x1b[K");
    },
  };
}

/** `1h02m`, `3m05s` or `12s`. */
export function formatSeconds(seconds: number): string {
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${s}s`;
}
