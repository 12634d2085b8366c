"""Shared helpers of the Python peers: read the harness's spec and inputs, report results.

The harness passes one JSON spec as argv[1] and reads the last line of stdout that
starts with '@@BENCH ' as this process's result.
"""
import json
import sys
import time

import numpy as np


def spec():
    return json.loads(sys.argv[1])


_limits = None


def limit_threads(s):
    """--threads N: cap the BLAS and OpenMP pools of this process. Call it after importing
    scikit-learn, whose import loads the OpenMP runtime that threadpoolctl must see."""
    global _limits
    if s.get("threads"):
        import sklearn.cluster  # noqa: F401  (loads libgomp)
        from threadpoolctl import threadpool_limits
        _limits = threadpool_limits(limits=s["threads"])


def read_matrix(case):
    x = np.fromfile(case["dataPath"], dtype="<f8")
    expected = case["n"] * case["d"]
    if x.size != expected:
        raise SystemExit(f"{case['dataPath']}: expected {expected} float64 values, got {x.size}")
    return x.reshape(case["n"], case["d"])


def read_init(case):
    with open(case["initPath"]) as f:
        init = json.load(f)
    return {key: np.asarray(value, dtype=np.float64) for key, value in init.items()}


def emit(result):
    print("@@BENCH " + json.dumps(result), flush=True)


def max_rss_bytes():
    import resource
    # Linux reports ru_maxrss in kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def current_rss_bytes():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return None


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def blas_info():
    """What BLAS/OpenMP the peer ran with (threadpoolctl ships with scikit-learn)."""
    from threadpoolctl import threadpool_info
    keep = ("user_api", "internal_api", "version", "threading_layer", "architecture", "num_threads")
    return [{k: lib.get(k) for k in keep if k in lib} for lib in threadpool_info()]


def emit_timed_fits(s, fit):
    """The scikit-learn peers' timing loop: one untimed warm-up fit if asked (first-call costs:
    lazy imports, allocator growth), then every max_iter in spec["iters"] once per rep."""
    import sklearn
    from sklearn.utils._openmp_helpers import _openmp_effective_n_threads

    if s.get("warmup"):
        fit(s["iters"][0])
    runs = [fit(max_iter) for _ in range(s["reps"]) for max_iter in s["iters"]]
    emit({
        "runs": runs,
        "versions": {"sklearn": sklearn.__version__, "numpy": np.__version__},
        "openmpThreads": _openmp_effective_n_threads(),
        "blas": blas_info(),
        "threads": s.get("threads"),
    })
