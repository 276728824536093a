import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Whether the reference `flac` CLI is installed (CI installs it with apt-get). */
export const HAVE_FLAC = spawnSync("flac", ["--version"]).status === 0;

const RAW_FORMAT = ["--force-raw-format", "--endian=little", "--sign=signed"];

/** Raw little-endian signed samples of `bytes` (1–4) bytes each, as `flac` reads and writes them. */
function toRaw(samples: Int32Array, bytes: number): Uint8Array {
  const raw = new Uint8Array(samples.length * bytes);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i];
    for (let b = 0; b < bytes; b++) view.setUint8(i * bytes + b, (v >> (8 * b)) & 0xff);
  }
  return raw;
}

function fromRaw(raw: Uint8Array, bytes: number): Int32Array {
  const out = new Int32Array(raw.byteLength / bytes);
  for (let i = 0; i < out.length; i++) {
    let v = 0;
    for (let b = 0; b < bytes; b++) v |= raw[i * bytes + b] << (8 * b);
    out[i] = bytes === 4 ? v : (v << (32 - 8 * bytes)) >> (32 - 8 * bytes); // sign-extend
  }
  return out;
}

/**
 * Decodes a FLAC stream with the reference `flac -d` to raw samples and returns them as int32
 * values (channels interleaved).
 */
export function flacCliDecode(stream: Uint8Array): Int32Array {
  const raw = execFileSync("flac", ["-d", "-s", "-c", ...RAW_FORMAT, "-"], {
    input: stream,
    maxBuffer: 1 << 30,
    stdio: ["pipe", "pipe", "ignore"], // flac warns that the MD5 is unset, as in every flacarray stream
  });
  const bps = (((stream[20] & 1) << 4) | (stream[21] >>> 4)) + 1;
  return fromRaw(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength), bps / 8);
}

/**
 * Encodes interleaved samples with the reference `flac` CLI (SEEKTABLE and PADDING on, as the
 * CLI does by default) and returns the stream.
 */
export function flacCliEncode(samples: Int32Array, channels: number, bps: 8 | 16 | 24, args: string[]): Uint8Array {
  // file to file: only a seekable output gets its STREAMINFO count and SEEKTABLE filled in
  const dir = mkdtempSync(join(tmpdir(), "flac-cli-"));
  try {
    const input = join(dir, "in.raw");
    const output = join(dir, "out.flac");
    writeFileSync(input, toRaw(samples, bps / 8));
    const format = [...RAW_FORMAT, `--channels=${channels}`, `--bps=${bps}`, "--sample-rate=30000"];
    execFileSync("flac", ["-s", "-f", ...format, ...args, "-o", output, input]);
    return new Uint8Array(readFileSync(output));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
