/**
 * Memory that workers and the calling thread share (SharedArrayBuffer): results decoded in place
 * by the workers, and reusable staging areas for the input of compression. Touching fresh memory
 * costs time (the page faults of a 462 MB array took 1.3 s on the benchmark machine), so staging
 * areas are kept for the next call, and a shared result is faulted in by the workers, in
 * parallel, instead of being copied once more on the calling thread.
 */

/** Whether memory can be shared with workers: Node, or a cross-origin-isolated page. */
export function canShareMemory(): boolean {
  return typeof SharedArrayBuffer !== "undefined" && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false;
}

/** Whether `array` lives in shared memory (SharedArrayBuffer is not even defined in a page that is not cross-origin isolated). */
export function isShared(array: ArrayBufferView): boolean {
  return typeof SharedArrayBuffer !== "undefined" && array.buffer instanceof SharedArrayBuffer;
}

/** Staging areas kept between calls: enough for a few batches, no more. */
const KEEP_BYTES = 64 * 1024 * 1024;
const free: SharedArrayBuffer[] = [];

/** A shared staging area of at least `bytes` bytes, reused when one is free. */
export function acquireStaging(bytes: number): SharedArrayBuffer {
  const i = free.findIndex((b) => b.byteLength >= bytes);
  if (i >= 0) return free.splice(i, 1)[0] as SharedArrayBuffer;
  return new SharedArrayBuffer(bytes);
}

/** Returns a staging area for the next batch or call (dropped when too much is kept). */
export function releaseStaging(buffer: SharedArrayBuffer): void {
  const kept = free.reduce((n, b) => n + b.byteLength, 0);
  if (kept + buffer.byteLength <= KEEP_BYTES) free.push(buffer);
}
