/**
 * Damaged mtscomp files written by Python: `.cbin` bytes flipped, overwritten, cut or extended,
 * and the structural values of the `.ch` (chunk bounds and offsets, channel count) changed. Every
 * read, through node:zlib and through the portable inflater, ends in a typed error or exactly the
 * right samples.
 *
 * Not mutated: `.ch` values that only label data (dtype among same-size types, the diff flags,
 * chunk order, sample rate). No checksum covers them on a partial read; a whole-file decompression
 * (`toFile`) checks `sha1_uncompressed`. The README lists these limits.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { decompress, isMtscompError, portableBackend } from "@flacarray/mtscomp/node";
import { expect, test } from "vitest";
import { mulberry32 } from "../../../bench/neuropixels-like.js";
import { MTSCOMP_MANIFEST, mtscompFixture } from "../../helpers/mtscomp-fixtures.js";
import { tempDir } from "../../helpers/temp.js";

const dir = tempDir("flacarray-mtscomp-fuzz-");
const fixtures = MTSCOMP_MANIFEST.fixtures.filter((f) =>
  ["small_4ch_int16", "np1_ap_385ch_int16", "spatial_and_time_diff"].includes(f.name),
);

/** Changes one structural value of a `.ch` header. */
function mutateHeader(h: Record<string, unknown>, rand: () => number): void {
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const key = pick(["chunk_bounds", "chunk_offsets", "n_channels"]);
  if (key === "n_channels") {
    h.n_channels = pick([0, 1, (h.n_channels as number) + 1, (h.n_channels as number) * 2, 2 ** 40, -3, 1.5, "4", null]);
    return;
  }
  const list = [...(h[key] as number[])];
  const i = Math.floor(rand() * list.length);
  list[i] = pick([list[i] + 1, list[i] - 1, list[i] * 2, 0, 2 ** 45, -1, Number.NaN]);
  if (rand() < 0.2) list.pop();
  h[key] = list;
}

test("hundreds of damaged .cbin/.ch pairs: a typed error or exactly the samples", async () => {
  const rand = mulberry32(5150);
  const counts = { ok: 0, typed: 0 };
  const CASES = 200;
  for (let c = 0; c < CASES; c++) {
    const f = fixtures[c % fixtures.length];
    const raw = new Uint8Array(readFileSync(mtscompFixture(f.raw)));
    let cbin = new Uint8Array(readFileSync(mtscompFixture(f.cbin)));
    const header = JSON.parse(readFileSync(mtscompFixture(f.ch), "utf8"));
    if (c % 2 === 0) mutateHeader(header, rand);
    else {
      const at = Math.floor(rand() * cbin.length);
      const kind = Math.floor(rand() * 4);
      if (kind === 0) cbin[at] ^= 1 << Math.floor(rand() * 8);
      else if (kind === 1) cbin.fill(Math.floor(rand() * 256), at, at + 1 + Math.floor(rand() * 16));
      else if (kind === 2) cbin = cbin.subarray(0, at);
      else cbin = Uint8Array.from([...cbin, 1, 2, 3]);
    }
    const path = join(dir, `case${c}.cbin`);
    writeFileSync(path, cbin);
    writeFileSync(join(dir, `case${c}.ch`), JSON.stringify(header));
    const t0 = performance.now();
    const outcome = await (async () => {
      const reader = await decompress(path, undefined, c % 4 < 2 ? {} : { backend: portableBackend });
      try {
        return (await reader.get()).data;
      } finally {
        await reader.close();
      }
    })().catch((err: unknown) => err);
    expect(performance.now() - t0, `case ${c}`).toBeLessThan(5000);
    if (outcome instanceof Error) {
      expect(isMtscompError(outcome), `case ${c}: ${String(outcome).slice(0, 300)}`).toBe(true);
      counts.typed++;
    } else {
      const got = outcome as ArrayBufferView;
      expect(Buffer.from(got.buffer, got.byteOffset, got.byteLength).equals(Buffer.from(raw)), `case ${c}: different data`).toBe(true);
      counts.ok++;
    }
  }
  expect(counts.ok + counts.typed).toBe(CASES);
  expect(counts.typed).toBeGreaterThan(CASES / 2);
});
