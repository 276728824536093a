// Windows of long streams read by byte ranges: only the frames that hold them are fetched, and
// the samples equal a full decode's; a damaged stream is still an error.
import { join } from "node:path";
import {
  closeWorkers,
  decodeStreamWindow,
  FlacArray,
  FlacDecoder,
  FlacEncoder,
  InvalidStreamError,
  type KnownFrame,
  type StreamLayoutHint,
  workerWindowDecoder,
} from "@flacarray/core";
import { openZarr, readFlacArray } from "@flacarray/zarr/node";
import { describe, expect, test } from "vitest";
import { neuropixelsLike } from "../../bench/neuropixels-like.js";
import { expectSameArray } from "../helpers/arrays.js";
import { rejection } from "../helpers/errors.js";
import { frameOffsets } from "../helpers/flac-bytes.js";

const LONG = join(import.meta.dirname, "..", "fixtures", "long");

/** Python's 8 x 30 s streams: all their samples, and each stream's bytes. */
async function pythonLong() {
  const fa = await readFlacArray<"int32">(openZarr(join(LONG, "python_long_8x900000.zarr")).resolve("ap"));
  const streamOf = (c: number) =>
    fa.compressed.subarray(Number(fa.streamStarts[c]), Number(fa.streamStarts[c]) + Number(fa.streamBytes[c]));
  return { all: fa.toArray().data, streamOf };
}

/** A reader of one stream's bytes that counts what it serves. */
function counted(stream: Uint8Array) {
  const log = { requests: 0, bytes: 0 };
  const read = async (a: number, b: number) => {
    log.requests++;
    log.bytes += b - a;
    return stream.subarray(a, b);
  };
  return { read, log };
}

describe("decodeStreamWindow", () => {
  test("Python's 30 s streams (no SEEKTABLE, total 0): 1 s windows fetch about their frames, not the stream", async () => {
    const fa = await readFlacArray<"int32">(openZarr(join(LONG, "python_long_8x900000.zarr")).resolve("ap"));
    const all = fa.toArray().data;
    const decoder = new FlacDecoder();
    for (const channel of [0, 5]) {
      const s = Number(fa.streamStarts[channel]);
      const stream = fa.compressed.subarray(s, s + Number(fa.streamBytes[channel]));
      for (const [start, stop] of [
        [0, 30000],
        [450000, 480000],
        [123457, 153457],
        [870000, 900000],
        [899000, 900000],
        [4095, 4097],
      ]) {
        const { read, log } = counted(stream);
        const out = new Int32Array(stop - start);
        const stats = await decodeStreamWindow(read, stream.length, 900000, start, stop, out, decoder, { stream: channel });
        expectSameArray(out, all.subarray(channel * 900000 + start, channel * 900000 + stop), `${channel} [${start}, ${stop})`);
        expect(stats.wholeStream).toBe(false);
        // the window's share of the stream, twice over, plus the head and the search windows
        const share = ((stop - start) / 900000) * stream.length;
        expect(log.bytes, `${channel} [${start}, ${stop})`).toBeLessThan(2 * share + 40 * 1024);
        expect(log.bytes).toBeLessThan(stream.length / 4);
      }
    }
  });

  test("a sibling's layout (hint): its STREAMINFO saves the head; a layout alone fetches head and frames at once; a wrong hint only costs bytes", async () => {
    const { all, streamOf } = await pythonLong();
    const decoder = new FlacDecoder();
    const first = await decodeStreamWindow(counted(streamOf(0)).read, streamOf(0).length, 900000, 1, 2, new Int32Array(1), decoder);
    expect(first.layout).toMatchObject({ firstFrameOffset: 86, blockSize: 4096, info: { channels: 1, bitsPerSample: 32 } });
    const layout = first.layout as StreamLayoutHint;
    for (const [name, hint, requests] of [
      ["with STREAMINFO", layout, [1, 1]],
      ["layout only", { firstFrameOffset: 86, blockSize: 4096 }, [2, 2]],
      // a sibling of another format: the frame found says 32 bits, so the head is read after it (whose bytes are used)
      ["STREAMINFO of 16 bits", { ...layout, info: { ...layout.info, bitsPerSample: 16 } }, [2, 1]],
      ["wrong layout", { firstFrameOffset: 200, blockSize: 1152 }, undefined],
    ] as const) {
      const stream = streamOf(6);
      const { read, log } = counted(stream);
      // a reader whose answers arrive together: requests sent at once are in flight together
      let inFlight = 0;
      let most = 0;
      const concurrent = async (a: number, b: number) => {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        return read(a, b);
      };
      const out = new Int32Array(30000);
      const stats = await decodeStreamWindow(concurrent, stream.length, 900000, 600000, 630000, out, decoder, {
        hint: hint as StreamLayoutHint,
      });
      expectSameArray(out, all.subarray(6 * 900000 + 600000, 6 * 900000 + 630000), name);
      expect(stats.wholeStream).toBe(false);
      if (requests) expect([log.requests, most], name).toStrictEqual(requests);
      else expect(log.requests).toBeGreaterThanOrEqual(3);
    }
  });

  test("a frame found before (this stream's last window, or a sibling's at the same window) narrows the search: one request, at most 1.25x the window's frames", async () => {
    const { all, streamOf } = await pythonLong();
    const decoder = new FlacDecoder();
    /** Bytes from the header of the frame holding `start` to the end of the header after the one holding `stop - 1`. */
    const framesOf = (c: number, start: number, stop: number) => {
      const offsets = frameOffsets(streamOf(c));
      const [first, last] = [Math.floor(start / 4096), Math.floor((stop - 1) / 4096)];
      return { at: offsets[first] as number, bytes: (offsets[last + 1] ?? streamOf(c).length) + 16 - (offsets[first] as number) };
    };
    const window = [450_000, 480_000] as const;
    const first = await decodeStreamWindow(
      counted(streamOf(0)).read,
      streamOf(0).length,
      900000,
      ...window,
      new Int32Array(30000),
      decoder,
    );
    expect(first.found).toStrictEqual({ frame: 109, offset: framesOf(0, ...window).at });
    expect(first.layout?.anchor?.frame).toBe(109);
    const found: KnownFrame[] = [];
    for (let c = 1; c < 8; c++) {
      const { read, log } = counted(streamOf(c));
      const out = new Int32Array(30000);
      const stats = await decodeStreamWindow(read, streamOf(c).length, 900000, ...window, out, decoder, { stream: c, hint: first.layout });
      expectSameArray(out, all.subarray(c * 900000 + window[0], c * 900000 + window[1]), `sibling ${c}`);
      expect(stats.found?.offset).toBe(framesOf(c, ...window).at);
      expect(log.requests, `sibling ${c}`).toBe(1);
      expect(log.bytes, `sibling ${c}`).toBeLessThanOrEqual(1.25 * framesOf(c, ...window).bytes);
      found[c] = stats.found as KnownFrame;
    }
    // the next second of each stream, from the frame found in this one (the sibling's anchor, at the last window, left out)
    const next = [480_000, 510_000] as const;
    const layoutOnly = { ...first.layout, anchor: undefined } as StreamLayoutHint;
    for (let c = 1; c < 8; c++) {
      const { read, log } = counted(streamOf(c));
      const out = new Int32Array(30000);
      await decodeStreamWindow(read, streamOf(c).length, 900000, ...next, out, decoder, { stream: c, hint: layoutOnly, near: found[c] });
      expectSameArray(out, all.subarray(c * 900000 + next[0], c * 900000 + next[1]), `next ${c}`);
      expect(log.requests, `next ${c}`).toBe(1);
      expect(log.bytes, `next ${c}`).toBeLessThanOrEqual(1.25 * framesOf(c, ...next).bytes);
    }
    // a frame "found" in the wrong place (another stream's, or past the end) costs requests, never samples
    for (const near of [
      { frame: 109, offset: framesOf(3, ...window).at + 40_000 },
      { frame: 5, offset: 1e9 },
      { frame: 200, offset: 90 },
      { frame: Number.NaN, offset: 5000 },
      { frame: 1e300, offset: 5000 },
      { frame: -3, offset: Number.NaN },
    ]) {
      const out = new Int32Array(30000);
      const stats = await decodeStreamWindow(counted(streamOf(2)).read, streamOf(2).length, 900000, ...next, out, decoder, {
        stream: 2,
        near,
      });
      expectSameArray(out, all.subarray(2 * 900000 + next[0], 2 * 900000 + next[1]), `misleading ${JSON.stringify(near)}`);
      expect(stats.wholeStream).toBe(false);
    }
    // and so does a sibling's anchor that cannot be right
    for (const anchor of [
      { frame: 109, fraction: Number.NaN },
      { frame: 109, fraction: 7 },
      { frame: Number.POSITIVE_INFINITY, fraction: 0.5 },
    ]) {
      const out = new Int32Array(30000);
      const hint = { ...(first.layout as StreamLayoutHint), anchor };
      await decodeStreamWindow(counted(streamOf(4)).read, streamOf(4).length, 900000, ...next, out, decoder, { stream: 4, hint });
      expectSameArray(out, all.subarray(4 * 900000 + next[0], 4 * 900000 + next[1]), `misleading ${JSON.stringify(anchor)}`);
    }
  });

  test("a window far larger than the mean frame size says (quiet, then loud) is read on in a few requests, not as the whole stream", async () => {
    const n = 400_000;
    const loud = neuropixelsLike(1, n / 2, 11).map((v) => v * 64);
    const data = new Int32Array(n);
    data.set(loud, n / 2);
    const stream = new FlacEncoder({ level: 5 }).encode(data, 1);
    const { read, log } = counted(stream);
    const [start, stop] = [300_000, 380_000];
    const out = new Int32Array(stop - start);
    const stats = await decodeStreamWindow(read, stream.length, n, start, stop, out, new FlacDecoder());
    expectSameArray(out, data.subarray(start, stop));
    expect(stats.wholeStream).toBe(false);
    // the search's misses, then reads on: a quarter more, then twice as much each time
    expect(log.requests).toBeLessThanOrEqual(8);
  });

  test("a sibling's STREAMINFO and a damaged frame in the window: the same InvalidStreamError as without it", async () => {
    const n = 200_000;
    const data = neuropixelsLike(2, n, 3);
    const streams = [0, 1].map((c) => new FlacEncoder({ level: 5 }).encode(data.subarray(c * n, (c + 1) * n), 1).slice());
    const sibling = await decodeStreamWindow(counted(streams[0]).read, streams[0].length, n, 1, 2, new Int32Array(1), new FlacDecoder());
    const damaged = streams[1].slice();
    damaged[Math.floor(damaged.length / 2)] ^= 0x21;
    const { read, log } = counted(damaged);
    const window = [n / 2 - 3000, n / 2 + 3000] as const;
    const err = await rejection(
      decodeStreamWindow(read, damaged.length, n, ...window, new Int32Array(6000), new FlacDecoder(), { stream: 1, hint: sibling.layout }),
    );
    expect(err).toBeInstanceOf(InvalidStreamError);
    expect(err).toMatchObject({ stream: 1 });
    expect(log.requests).toBeGreaterThan(1); // the head, then the whole stream, were read after the frames
    const out = new Int32Array(6000);
    const intact = counted(streams[1]);
    await decodeStreamWindow(intact.read, streams[1].length, n, ...window, out, new FlacDecoder(), { stream: 1, hint: sibling.layout });
    expectSameArray(out, data.subarray(n + window[0], n + window[1]));
    expect(intact.log.requests).toBe(1);
  });

  test.each([1, 5, 8])("our streams at level %i: random windows equal the full decode", async (level) => {
    const n = 200_000;
    const data = neuropixelsLike(1, n, level);
    const stream = new FlacEncoder({ level }).encode(data, 1);
    const decoder = new FlacDecoder();
    for (let k = 0; k < 20; k++) {
      const start = Math.floor(((k * 7919) % 997) * (n / 997));
      const stop = Math.min(n, start + 1 + ((k * 104729) % 20000));
      const out = new Int32Array(stop - start);
      const stats = await decodeStreamWindow(counted(stream).read, stream.length, n, start, stop, out, decoder);
      expectSameArray(out, data.subarray(start, stop), `[${start}, ${stop})`);
      expect(stats.wholeStream).toBe(false);
    }
  });

  test("a damaged frame inside the window is an InvalidStreamError, as in a full decode", async () => {
    const n = 200_000;
    const data = neuropixelsLike(1, n, 3);
    const stream = new FlacEncoder({ level: 5 }).encode(data, 1).slice();
    stream[Math.floor(stream.length / 2)] ^= 0x21;
    const err = await rejection(
      decodeStreamWindow(counted(stream).read, stream.length, n, n / 2 - 3000, n / 2 + 3000, new Int32Array(6000), new FlacDecoder(), {
        stream: 4,
      }),
    );
    expect(err).toBeInstanceOf(InvalidStreamError);
    expect(err).toMatchObject({ stream: 4 });
    // and the same window of the intact stream is fine
    const intact = FlacArray.fromArray(data).compressed;
    const out = new Int32Array(6000);
    await decodeStreamWindow(counted(intact).read, intact.length, n, n / 2 - 3000, n / 2 + 3000, out, new FlacDecoder());
    expectSameArray(out, data.subarray(n / 2 - 3000, n / 2 + 3000));
  });

  test("decoded on workers (workerWindowDecoder): the same samples, and a damaged frame is the same InvalidStreamError", async () => {
    const n = 200_000;
    const data = neuropixelsLike(1, n, 9);
    const stream = new FlacEncoder({ level: 5 }).encode(data, 1);
    const onWorkers = workerWindowDecoder(2);
    try {
      // at the start, inside, and at the end of the stream
      for (const [start, stop] of [
        [0, 5000],
        [100_000, 160_000],
        [199_000, 200_000],
      ] as const) {
        const out = new Int32Array(stop - start);
        const stats = await decodeStreamWindow(counted(stream).read, stream.length, n, start, stop, out, onWorkers, { stream: 2 });
        expectSameArray(out, data.subarray(start, stop), `[${start}, ${stop})`);
        expect(stats.wholeStream).toBe(false);
        // into shared memory, the workers decode in place, at the offset asked for
        const shared = new Int32Array(new SharedArrayBuffer(4 * (stop - start + 10))).fill(-7);
        await decodeStreamWindow(counted(stream).read, stream.length, n, start, stop, shared, onWorkers, { stream: 2, outOffset: 10 });
        expectSameArray(shared.subarray(10), data.subarray(start, stop), `shared [${start}, ${stop})`);
        expect(shared.subarray(0, 10).every((v) => v === -7)).toBe(true);
      }
      const damaged = stream.slice();
      damaged[Math.floor(damaged.length / 2)] ^= 0x21;
      const window = [n / 2 - 3000, n / 2 + 3000] as const;
      const here = await rejection(
        decodeStreamWindow(counted(damaged).read, damaged.length, n, ...window, new Int32Array(6000), new FlacDecoder(), { stream: 4 }),
      );
      const there = await rejection(
        decodeStreamWindow(counted(damaged).read, damaged.length, n, ...window, new Int32Array(6000), onWorkers, { stream: 4 }),
      );
      expect(there).toBeInstanceOf(InvalidStreamError);
      expect(there).toMatchObject({ stream: 4, reason: (here as InvalidStreamError).reason });
    } finally {
      await closeWorkers();
    }
  });

  test("many windows at once into shared memory (decoded several to a job): each right, and a damaged one fails alone", async () => {
    const [streams, n, m] = [40, 60_000, 7000];
    const data = neuropixelsLike(streams, n, 13);
    const encoded = Array.from({ length: streams }, (_, c) => new FlacEncoder({ level: 5 }).encode(data.subarray(c * n, (c + 1) * n), 1));
    const damagedStream = 17;
    const damaged = (encoded[damagedStream] as Uint8Array).slice();
    damaged[Math.floor(damaged.length / 2)] ^= 0x21;
    encoded[damagedStream] = damaged;
    const start = n / 2 - m / 2;
    const out = new Int32Array(new SharedArrayBuffer(4 * streams * m)).fill(-7);
    const onWorkers = workerWindowDecoder(2);
    try {
      const outcomes = await Promise.allSettled(
        encoded.map((stream, c) =>
          decodeStreamWindow(counted(stream).read, stream.length, n, start, start + m, out, onWorkers, { stream: c, outOffset: c * m }),
        ),
      );
      outcomes.forEach((outcome, c) => {
        if (c === damagedStream) {
          expect(outcome.status).toBe("rejected");
          expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(InvalidStreamError);
          expect((outcome as PromiseRejectedResult).reason).toMatchObject({ stream: damagedStream });
        } else {
          expect(outcome.status, `stream ${c}`).toBe("fulfilled");
          expectSameArray(out.subarray(c * m, (c + 1) * m), data.subarray(c * n + start, c * n + start + m), `stream ${c}`);
        }
      });
    } finally {
      await closeWorkers();
    }
  });
});
