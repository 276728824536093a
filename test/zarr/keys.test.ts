/**
 * No key may leave the store, on read or on write (issue 11, item 11): chunk keys are built from
 * metadata that a hostile store controls.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FlacArray, isFlacArrayError } from "@flacarray/core";
import { DirectoryStore, openZarr, readArray } from "@flacarray/zarr/node";
import { expect, test } from "vitest";
import * as zarr from "zarrita";
import { rejection } from "../helpers/errors.js";
import { tempDir } from "../helpers/temp.js";

const dir = tempDir("flacarray-zarr-keys-");

test("a v3 chunk key separator that climbs out of the store is refused, and nothing outside is read or shown", async () => {
  const secret = join(dir, "secret");
  mkdirSync(secret, { recursive: true });
  writeFileSync(join(secret, "0"), "TOP SECRET CONTENTS");
  // a raw (bytes-only) v3 group, whose compressed chunks are read with range reads of keys we build
  const path = join(dir, "a", "b", "hostile.zarr");
  const fa = FlacArray.fromArray(Int32Array.from({ length: 2000 }, (_, i) => i % 97));
  const root = zarr.root(new DirectoryStore(path));
  await zarr.create(root, { attributes: { flacarray_format_version: "1", flac_channels: "1" } });
  const codecs = [{ name: "bytes", configuration: { endian: "little" } }];
  const compressed = await zarr.create(root.resolve("compressed"), { shape: [fa.nbytes], chunkShape: [fa.nbytes], dtype: "uint8", codecs });
  await zarr.set(compressed, null, { data: fa.compressed, shape: [fa.nbytes], stride: [1] });
  for (const [name, values, attributes] of [
    ["stream_starts", fa.streamStarts, { stream_size: fa.streamSize }],
    ["stream_bytes", fa.streamBytes, {}],
  ] as const) {
    const array = await zarr.create(root.resolve(name), { shape: [1], chunkShape: [1], dtype: "int64", codecs, attributes });
    await zarr.set(array, null, { data: values, shape: [1], stride: [1] });
  }
  expect((await readArray(openZarr(path))).data).toStrictEqual(fa.toArray().data);
  const metaPath = join(path, "compressed", "zarr.json");
  const meta = JSON.parse(readFileSync(metaPath, "utf8"));
  writeFileSync(
    metaPath,
    JSON.stringify({ ...meta, chunk_key_encoding: { name: "default", configuration: { separator: "/../../../../secret/" } } }),
  );
  const err = await rejection(readArray(openZarr(path)));
  expect(isFlacArrayError(err, "InvalidFormatError"), String(err)).toBe(true);
  expect(String(err)).toMatch(/chunk key separator "\/..\/..\/..\/..\/secret\/", expected "\/" or "."/);
  expect(String(err)).not.toMatch(/SECRET/);
});

test("DirectoryStore refuses to write or read outside its root", async () => {
  const store = new DirectoryStore(join(dir, "root.zarr"));
  for (const key of ["/../../escaped", "/a/../../escaped", "/./x", "/a//b"] as const) {
    await expect(store.set(key as never, new Uint8Array(1))).rejects.toThrow(/would leave the store/);
    await expect(store.get(key as never)).rejects.toThrow(/would leave the store/);
  }
  expect(existsSync(join(dir, "escaped"))).toBe(false);
  await store.set("/ok/.zattrs", new TextEncoder().encode("{}"));
  expect(await store.get("/ok/.zattrs")).toStrictEqual(new TextEncoder().encode("{}"));
});
