/** Running jobs a few at a time while consuming their results in order. */

/**
 * Yields `job(0) ... job(count - 1)` in order, keeping up to `limit` jobs running ahead, so
 * memory stays at `limit` results whatever `count` is.
 */
export async function* ordered<T>(count: number, limit: number, job: (k: number) => Promise<T>): AsyncGenerator<T> {
  const running: Promise<T>[] = [];
  let next = 0;
  const start = () => {
    const p = job(next++);
    // a later job may fail while an earlier one is awaited: that failure surfaces in its turn
    p.catch(() => {});
    running.push(p);
  };
  try {
    while (next < count && running.length < Math.max(1, limit)) start();
    while (running.length > 0) {
      const result = await (running.shift() as Promise<T>);
      if (next < count) start();
      yield result;
    }
  } finally {
    // stop early (an error, or the consumer breaking out): let running jobs settle quietly
    await Promise.allSettled(running);
  }
}
