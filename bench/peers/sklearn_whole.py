"""scikit-learn whole fits, as a user types them: GaussianMixture(k, covariance_type='full') and
KMeans(k, n_init=10) with every other option at its default, or with the shared explicit
initial parameters. One untimed warm-up fit, then spec["reps"] timed fits."""
import warnings

from sklearn.exceptions import ConvergenceWarning

from common import spec, limit_threads, read_matrix, read_init, emit, max_rss_bytes, current_rss_bytes, timed

warnings.filterwarnings("ignore", category=ConvergenceWarning)

s = spec()
X = read_matrix(s["case"])
init = read_init(s["case"]) if s["init"] == "explicit" else None
k = s["case"]["k"]

from sklearn.cluster import KMeans
from sklearn.mixture import GaussianMixture

limit_threads(s)
rss_before = current_rss_bytes()

if s["model"] == "gmm":
    def fit():
        extra = {}
        if init is not None:
            extra = dict(weights_init=init["weightsInit"], means_init=init["meansInit"], precisions_init=init["precisionsInit"])
        gm = GaussianMixture(k, covariance_type="full", **extra)
        seconds, _ = timed(lambda: gm.fit(X))
        return {"seconds": seconds, "nIter": int(gm.n_iter_), "converged": bool(gm.converged_), "score": float(gm.lower_bound_)}
else:
    def fit():
        # n_init=10 is scikit-learn 1.2's default, spelled out to silence its FutureWarning;
        # explicit centres run once, as scikit-learn itself does for an array init.
        km = KMeans(k, n_init=10) if init is None else KMeans(k, init=init["meansInit"], n_init=1)
        seconds, _ = timed(lambda: km.fit(X))
        return {"seconds": seconds, "nIter": int(km.n_iter_), "score": float(km.inertia_)}

if s.get("warmup"):
    fit()
runs = [fit() for _ in range(s["reps"])]
emit({"runs": runs, "rssBefore": rss_before, "peakRss": max_rss_bytes()})
