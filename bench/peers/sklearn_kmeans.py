"""scikit-learn KMeans peer: Lloyd, explicit initial centres, n_init=1, tol=0.

scikit-learn also stops when no label changes ("strict convergence") even with tol=0,
so the harness reads n_iter_ and divides by it.
"""
from common import spec, limit_threads, read_matrix, read_init, timed, emit_timed_fits

s = spec()
X = read_matrix(s["case"])
centres = read_init(s["case"])["meansInit"]

from sklearn.cluster import KMeans

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


emit_timed_fits(s, fit)
