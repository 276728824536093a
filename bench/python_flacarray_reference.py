"""The codec benchmark's second reference: one of Python flacarray's own calls, timed in Python.

PyPI cannot be reached from every machine that runs the bench, so bench/codec.ts runs this
only where `import flacarray` works (installed, or built from its source with meson: the README
says how) and skips it otherwise. Like bench/array-call.ts, each call is timed in a process of its own, on the
benchmark's array: FlacArray.from_array(arr, level=5) or fa.to_array(), one thread or with
OpenMP threads (use_threads=True; OMP_NUM_THREADS, by default one per core); one untimed call,
then REPEATS timed ones.

One thread needs OMP_NUM_THREADS=1, which codec.ts sets: flacarray 0.3.4's to_array decodes on
every OpenMP thread even with use_threads=False (its Cython binding passes the Python bool object
where the C function takes a C bool, so the pointer reads as true; measured: CPU time twice the
wall time on 2 cores, and twice the speed of OMP_NUM_THREADS=1).

usage: python3 python_flacarray_reference.py INPUT CHANNELS SAMPLES CALL THREADED REPEATS
  INPUT: int32 little-endian samples, channel-major (CHANNELS x SAMPLES), as codec.ts writes it
  CALL: from_array or to_array; THREADED: 0 or 1
prints one JSON line: {"version", "threads", "seconds": [one per repeat]}
"""

import json
import os
import sys
import time

import numpy as np
import flacarray
from flacarray import FlacArray


def main():
    path, channels, samples, call, threaded, repeats = sys.argv[1:7]
    threaded = threaded == "1"
    arr = np.fromfile(path, dtype="<i4").reshape(int(channels), int(samples))
    if call == "from_array":
        run = lambda: FlacArray.from_array(arr, level=5, use_threads=threaded)
    elif call == "to_array":
        fa = FlacArray.from_array(arr, level=5)
        if not np.array_equal(fa.to_array(), arr):
            raise SystemExit("python flacarray: to_array differs from the input")
        run = lambda: fa.to_array(use_threads=threaded)
    else:
        raise SystemExit(f"unknown call {call}")
    run()
    seconds = []
    for _ in range(int(repeats)):
        start = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - start)
    threads = int(os.environ.get("OMP_NUM_THREADS", os.cpu_count())) if threaded else 1
    print(json.dumps({"version": flacarray.__version__, "threads": threads, "seconds": seconds}))


main()
