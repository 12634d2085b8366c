"""scikit-learn KMeans peer: Lloyd, explicit initial centres, n_init=1, tol=0.

scikit-learn also stops when no label changes ("strict convergence") even with tol=0,
so the harness reads n_iter_ and divides by it.
"""
import numpy as np

from common import spec, limit_threads, read_matrix, read_init, emit, timed, blas_info

s = spec()
X = read_matrix(s["case"])
centres = read_init(s["case"])["meansInit"]

import sklearn
from sklearn.cluster import KMeans
from sklearn.utils._openmp_helpers import _openmp_effective_n_threads

limit_threads(s)


def fit(max_iter):
    km = KMeans(
        n_clusters=s["case"]["k"], init=centres, n_init=1, algorithm="lloyd", tol=0.0, max_iter=max_iter
    )
    seconds, _ = timed(lambda: km.fit(X))
    return {
        "maxIter": max_iter,
        "seconds": seconds,
        "nIter": int(km.n_iter_),
        "inertia": float(km.inertia_),
        "centres": km.cluster_centers_.tolist(),
    }


if s.get("warmup"):
    fit(s["iters"][0])  # untimed: first-call costs (lazy imports, allocator growth)
runs = []
for _ in range(s["reps"]):
    for max_iter in s["iters"]:
        runs.append(fit(max_iter))
emit({
    "runs": runs,
    "versions": {"sklearn": sklearn.__version__, "numpy": np.__version__},
    "openmpThreads": _openmp_effective_n_threads(),
    "blas": blas_info(),
    "threads": s.get("threads"),
})
