"""scikit-learn GaussianMixture peer: full covariance, explicit initial parameters, tol=0.

mode "time":   for each rep and each max_iter in spec["iters"], time fit() and report it.
mode "memory": one fit with max_iter=spec["iters"][-1]; report RSS before it and the peak.
"""
import warnings

from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture

from common import spec, limit_threads, read_matrix, read_init, emit, max_rss_bytes, current_rss_bytes, timed, emit_timed_fits

# tol=0 never converges by design, so every fit runs exactly max_iter iterations.
warnings.filterwarnings("ignore", category=ConvergenceWarning)

s = spec()
limit_threads(s)
X = read_matrix(s["case"])
init = read_init(s["case"])


def fit(max_iter):
    gm = GaussianMixture(
        n_components=s["case"]["k"],
        covariance_type="full",
        tol=0.0,
        reg_covar=1e-6,
        max_iter=max_iter,
        n_init=1,
        # With weights/means/precisions all given, the resp drawn here only feeds parameters
        # that are then overwritten; 'random_from_data' is the cheapest such start
        # (the default 'kmeans' would run a whole K-Means first).
        init_params="random_from_data",
        random_state=0,
        weights_init=init["weightsInit"],
        means_init=init["meansInit"],
        precisions_init=init["precisionsInit"],
    )
    seconds, _ = timed(lambda: gm.fit(X))
    return {"maxIter": max_iter, "seconds": seconds, "nIter": int(gm.n_iter_), "lowerBound": float(gm.lower_bound_)}


if s["mode"] == "memory":
    rss_before = current_rss_bytes()
    run = fit(s["iters"][-1])
    emit({"runs": [run], "rssBeforeFit": rss_before, "peakRss": max_rss_bytes()})
else:
    emit_timed_fits(s, fit)
