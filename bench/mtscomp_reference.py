"""Python reference for the mtscomp benchmark: the calls mtscomp 1.0.2 makes per chunk
(np.diff along time with the first sample kept, tobytes(order="F"), zlib.compress at its default
level, SHA-1 of raw and compressed bytes; decompress: zlib.decompress, reshape, cumsum), one
thread. mtscomp itself is not installable on this machine (no PyPI); this is its algorithm.

usage: python3 mtscomp_reference.py RAW N_CHANNELS SAMPLE_RATE  -> prints JSON
"""
import hashlib
import json
import sys
import time
import zlib

import numpy as np

raw_path, n_channels, sample_rate = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
data = np.memmap(raw_path, dtype=np.int16, mode="r").reshape(-1, n_channels)
chunk = int(np.round(sample_rate))
bounds = list(range(0, data.shape[0], chunk)) + [data.shape[0]]

t = time.perf_counter()
streams, sha_raw, sha_c = [], hashlib.sha1(), hashlib.sha1()
for a, b in zip(bounds[:-1], bounds[1:]):
    x = np.asarray(data[a:b])
    d = np.concatenate((x[:1], np.diff(x, axis=0)), axis=0)
    s = zlib.compress(d.tobytes(order="F"))
    streams.append(s)
    sha_raw.update(x.tobytes())
    sha_c.update(s)
compress_s = time.perf_counter() - t

t = time.perf_counter()
for (a, b), s in zip(zip(bounds[:-1], bounds[1:]), streams):
    y = np.frombuffer(zlib.decompress(s), dtype=np.int16).reshape((b - a, n_channels), order="F")
    y = np.ascontiguousarray(np.cumsum(y, axis=0, dtype=np.int16))
decompress_s = time.perf_counter() - t

print(json.dumps({"compress_s": compress_s, "decompress_s": decompress_s, "cbin_bytes": sum(map(len, streams))}))
