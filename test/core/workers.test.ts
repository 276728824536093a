// The async (worker) methods of FlacArray and the pool behind them: the same results as the
// synchronous methods whatever the worker count, and failures as typed errors with no worker left.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  closeWorkers,
  FlacArray,
  InvalidArgumentError,
  InvalidStreamError,
  _internalJobLimit as JobLimit,
  type NdArray,
  WorkerError,
  WorkerPool,
} from "@flacarray/core";
import { nodeWorker } from "@flacarray/core/node";
import { afterAll, describe, expect, test } from "vitest";
import { expectSameArray } from "../helpers/arrays.js";
import { rejection } from "../helpers/errors.js";
import { randomArrays } from "../helpers/random-arrays.js";

afterAll(() => closeWorkers());

const QUANTA: Record<string, number | undefined> = { float32: 1e-3, float64: 1e-7 };
const arrays = Object.entries(randomArrays(21)) as [string, NdArray][];

describe("fromArrayAsync and toArrayAsync give the synchronous results", () => {
  test.each(arrays)("%s, workers 1, 2 and more than the streams", async (dtype, arr) => {
    const options = { level: 5, quanta: QUANTA[dtype] };
    const sync = FlacArray.fromArray(arr, options);
    for (const workers of [1, 2, 9]) {
      const fa = await FlacArray.fromArrayAsync(arr, { ...options, workers });
      expectSameArray(fa.compressed, sync.compressed, `${dtype}, ${workers} workers: compressed`);
      expect(fa.streamStarts).toStrictEqual(sync.streamStarts);
      expect(fa.streamOffsets).toStrictEqual(sync.streamOffsets);
      expect(fa.streamGains).toStrictEqual(sync.streamGains);
      const leading = sync.leadingShape.reduce((a, b) => a * b, 1);
      const keep = Array.from({ length: leading }, (_, i) => i % 2 === 0);
      for (const selection of [
        {},
        { streamSlice: [100, 1900] as [number, number] },
        { keep, keepIndices: true },
        { keep, streamSlice: [-50, null] as [number, null] },
      ]) {
        const expected = sync.toArray(selection);
        const got = await sync.toArrayAsync({ ...selection, workers });
        expect(got.shape).toStrictEqual(expected.shape);
        expect(got.indices).toStrictEqual(expected.indices);
        expectSameArray(got.data, expected.data, `${dtype}, ${workers} workers, ${JSON.stringify(selection)}`);
      }
    }
  });

  test.each([0, 1, 8])("int32 at level %i, 40 streams, 2 workers", async (level) => {
    const data = randomArrays(5).int32.data;
    const arr = {
      data: Int32Array.from({ length: 40 * 1500 }, (_, i) => (data[i % data.length] as number) * ((i % 7) + 1)),
      shape: [40, 1500],
    };
    const sync = FlacArray.fromArray(arr, { level });
    const fa = await FlacArray.fromArrayAsync(arr, { level, workers: 2 });
    expectSameArray(fa.compressed, sync.compressed);
    // laid in place by the workers: shared memory, exactly as long as the streams
    expect(fa.compressed.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(fa.compressed.buffer.byteLength).toBe(sync.compressed.length);
    expectSameArray((await fa.toArrayAsync({ workers: 2 })).data, arr.data);
  });

  test("the caller's array is left as it was", async () => {
    const arr = randomArrays(6).int32;
    const before = arr.data.slice();
    await FlacArray.fromArrayAsync(arr, { workers: 2 });
    expectSameArray(arr.data, before);
  });

  test("workers must be a positive integer", async () => {
    const arr = randomArrays(7).int32;
    for (const workers of [0, -1, 1.5, Number.NaN]) {
      expect(await rejection(FlacArray.fromArrayAsync(arr, { workers }))).toBeInstanceOf(InvalidArgumentError);
      expect(await rejection(FlacArray.fromArray(arr).toArrayAsync({ workers }))).toBeInstanceOf(InvalidArgumentError);
    }
  });

  test("a corrupt stream is the same InvalidStreamError as synchronously, and the pool goes on", async () => {
    const arr = randomArrays(8).int32;
    const fa = FlacArray.fromArray(arr);
    const compressed = fa.compressed.slice();
    compressed[Number(fa.streamStarts[1]) + 300] ^= 0x40;
    const broken = new FlacArray({
      ...fa,
      compressed,
      streamStarts: fa.streamStarts,
      streamBytes: fa.streamBytes,
      shape: fa.shape,
      dtype: fa.dtype,
    });
    const expected = (() => {
      try {
        broken.toArray();
      } catch (err) {
        return err as InvalidStreamError;
      }
      return undefined;
    })();
    expect(expected).toBeInstanceOf(InvalidStreamError);
    const err = await rejection(broken.toArrayAsync({ workers: 2 }));
    expect(err).toBeInstanceOf(InvalidStreamError);
    expect(err).toMatchObject({ stream: 1, byteOffset: expected?.byteOffset, reason: expected?.reason });
    expectSameArray((await fa.toArrayAsync({ workers: 2 })).data, arr.data);
  });
});

/** OS threads of this process (each worker adds several). */
const threads = () => readdirSync("/proc/self/task").length;

describe("WorkerPool", () => {
  const start = () => nodeWorker(new URL("../helpers/test-worker.ts", import.meta.url));

  test("runs jobs on its workers and moves buffers both ways", async () => {
    const pool = new WorkerPool(2, start);
    try {
      const values = Float64Array.from([1, 2, 3]);
      const doubled = await pool.run<Float64Array>("double", { values }, [values.buffer]);
      expect(Array.from(doubled)).toStrictEqual([2, 4, 6]);
      expect(values.length).toBe(0); // moved, not copied
      const order = await Promise.all([300, 10, 10, 10].map((ms) => pool.run<number>("slow", { ms })));
      expect(order).toStrictEqual([300, 10, 10, 10]);
    } finally {
      await pool.close();
    }
  });

  test("a JobLimit runs at most its limit of a call's jobs at once on a larger pool", async () => {
    const pool = new WorkerPool(3, start);
    /** The most of `spans` that ran at the same time. */
    const mostAtOnce = (spans: [number, number][]) => Math.max(...spans.map(([s]) => spans.filter(([a, b]) => a <= s && s < b).length));
    try {
      const jobs = (run: () => Promise<[number, number]>) => Promise.all(Array.from({ length: 6 }, run));
      await jobs(() => pool.run("span", { ms: 1 })); // every worker loaded
      // straight to the pool, the jobs spread over its 3 workers
      expect(mostAtOnce(await jobs(() => pool.run("span", { ms: 60 })))).toBe(3);
      for (const most of [1, 2]) {
        const limit = new JobLimit(most);
        expect(mostAtOnce(await jobs(() => limit.run(pool, "span", { ms: 60 }))), `limit ${most}`).toBe(most);
      }
      // a limit of the pool's size or more leaves the queueing to the pool
      const limit = new JobLimit(3);
      expect(mostAtOnce(await jobs(() => limit.run(pool, "span", { ms: 60 })))).toBe(3);
      expect(await rejection(new JobLimit(1).run(pool, "typedError", {}))).toMatchObject({ name: "InvalidArgumentError" });
    } finally {
      await pool.close();
    }
  });

  test("errors a job throws keep their flacarray type; others are WorkerErrors naming them", async () => {
    const pool = new WorkerPool(1, start);
    try {
      expect(await rejection(pool.run("typedError", {}))).toMatchObject({
        name: "InvalidArgumentError",
        message: "level 9 is not a FLAC level",
      });
      const plain = await rejection(pool.run("plainError", {}));
      expect(plain).toBeInstanceOf(WorkerError);
      expect((plain as Error).message).toBe("a job failed on a worker: TypeError: something else broke");
      expect(await pool.run("slow", { ms: 1 })).toBe(1);
    } finally {
      await pool.close();
    }
  });

  test("a worker that exits mid-job fails that job with a WorkerError and is replaced; closing leaves no thread", async () => {
    const before = threads();
    const pool = new WorkerPool(2, start);
    const died = await rejection(pool.run("exit", {}));
    expect(died).toBeInstanceOf(WorkerError);
    expect((died as Error).message).toMatch(/a worker stopped during a job \(exit\): the worker exited with code 3/);
    expect(await Promise.all([pool.run("slow", { ms: 5 }), pool.run("slow", { ms: 6 })])).toStrictEqual([5, 6]);
    const queued = rejection(pool.run("slow", { ms: 10_000 }));
    await pool.close();
    expect(await queued).toBeInstanceOf(WorkerError);
    for (let i = 0; i < 50 && threads() > before; i++) await new Promise((r) => setTimeout(r, 100));
    expect(threads()).toBe(before);
  });

  test("warm starts every worker before any job, and jobs then run on them", async () => {
    let started = 0;
    const pool = new WorkerPool(2, () => {
      started++;
      return start();
    });
    try {
      pool.warm();
      expect(started).toBe(2);
      pool.warm(); // nothing more to start
      expect(started).toBe(2);
      expect(await Promise.all([pool.run("slow", { ms: 30 }), pool.run("slow", { ms: 30 })])).toStrictEqual([30, 30]);
      expect(started).toBe(2); // the jobs ran on the started workers
    } finally {
      await pool.close();
    }
    pool.warm(); // a closed pool starts nothing
    expect(started).toBe(2);
  });

  test.each([
    ["started and never given a job", "startWorkers(2);"],
    ["after a job", "await FlacArray.fromArray({ data: new Int32Array(5000), shape: [5000] }).toArrayAsync({ workers: 2 });"],
  ])("idle workers %s let a Node process exit", (_, code) => {
    const script = `import { FlacArray, startWorkers } from "@flacarray/core"; ${code} console.log("done");`;
    const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: fileURLToPath(new URL("../..", import.meta.url)),
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(run.stderr).toBe("");
    expect([run.stdout.trim(), run.signal, run.status]).toStrictEqual(["done", null, 0]);
  });

  test("a worker that cannot start fails the job with a WorkerError", async () => {
    const pool = new WorkerPool(1, () => nodeWorker(new URL("file:///no/such/worker.js")));
    try {
      const err = await rejection(pool.run("double", {}));
      expect(err).toBeInstanceOf(WorkerError);
      expect((err as Error).message).toMatch(/the worker failed: .*no\/such\/worker\.js/);
    } finally {
      await pool.close();
    }
  });
});
