#!/usr/bin/python3
"""Reference fits from scikit-learn's GaussianMixture, for test/mixture-sklearn.test.ts.

Run with Debian's interpreter (it has python3-sklearn 1.2.1):
    /usr/bin/python3 scripts/sklearn-fixtures.py
It writes one JSON file per data set under test/fixtures/sklearn/: the data, and for
every covariance type and a few stopping rules the explicit initial parameters,
the options and scikit-learn's fitted attributes and predictions.
"""
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "sklearn")
TYPES = ["full", "tied", "diag", "spherical"]
# (maxIter, tol): one step, a few steps without stopping, and to convergence.
RUNS = [(1, 1e-3), (4, 0.0), (200, 1e-3)]


def blobs(rng, centers, covs, counts, offset=0.0):
    parts = [rng.multivariate_normal(c, s, n) for c, s, n in zip(centers, covs, counts)]
    X = np.vstack(parts) + offset
    return X[rng.permutation(len(X))]


def datasets():
    rng = np.random.default_rng(20240601)
    yield "blobs2d", 3, blobs(
        rng,
        [[0, 0], [4, 1], [1, 5]],
        [[[1, 0.3], [0.3, 0.5]], [[0.6, -0.2], [-0.2, 0.8]], [[0.4, 0], [0, 1.5]]],
        [100, 80, 60],
    )
    rng = np.random.default_rng(7)
    yield "offset3d", 2, blobs(
        rng,
        [[0, 0, 0], [3, -2, 1]],
        [np.diag([1, 2, 0.5]) + 0.3, [[1, -0.4, 0.2], [-0.4, 1, 0], [0.2, 0, 0.7]]],
        [90, 70],
        offset=100.0,
    )
    rng = np.random.default_rng(3)
    yield "line1d", 2, blobs(rng, [[-1.0], [2.0]], [[[0.5]], [[1.2]]], [70, 50])
    rng = np.random.default_rng(11)
    A = rng.normal(size=(5, 5))
    yield "mixed5d", 3, blobs(
        rng,
        [np.zeros(5), np.full(5, 3.0), np.array([3, -3, 0, 3, -3.0])],
        [np.eye(5), A @ A.T / 5 + 0.2 * np.eye(5), np.diag([0.5, 1, 2, 1, 0.5])],
        [60, 50, 40],
    )


def initial_parameters(X, K, cov_type, rng):
    """Explicit, deliberately imperfect starting values."""
    n, d = X.shape
    w = np.linspace(1.0, 2.0, K)
    weights = w / w.sum()
    means = X[rng.choice(n, K, replace=False)] + 0.1 * rng.normal(size=(K, d))
    cov = np.cov(X.T, bias=True) * 0.8 + 0.05 * np.eye(d)
    prec = np.linalg.inv(cov)
    prec = (prec + prec.T) / 2
    precisions = {
        "full": np.array([prec * (1 + 0.1 * k) for k in range(K)]),
        "tied": prec,
        "diag": np.array([1 / np.diag(cov) * (1 + 0.1 * k) for k in range(K)]),
        "spherical": np.array([1 / np.mean(np.diag(cov)) * (1 + 0.1 * k) for k in range(K)]),
    }[cov_type]
    return weights, means, precisions


def fit_record(X, test, K, cov_type, max_iter, tol, init):
    weights, means, precisions = init
    gm = GaussianMixture(
        n_components=K,
        covariance_type=cov_type,
        max_iter=max_iter,
        tol=tol,
        weights_init=weights,
        means_init=means,
        precisions_init=precisions,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        gm.fit(X)
    return {
        "options": {"nComponents": K, "covarianceType": cov_type, "maxIter": max_iter, "tol": tol},
        "init": {"weightsInit": weights.tolist(), "meansInit": means.tolist(), "precisionsInit": precisions.tolist()},
        "expected": {
            "weights": gm.weights_.tolist(),
            "means": gm.means_.tolist(),
            "covariances": gm.covariances_.tolist(),
            "precisions": gm.precisions_.tolist(),
            "precisionsCholesky": gm.precisions_cholesky_.tolist(),
            "lowerBound": float(gm.lower_bound_),
            "nIter": int(gm.n_iter_),
            "converged": bool(gm.converged_),
            "predict": gm.predict(test).tolist(),
            "predictProba": gm.predict_proba(test).tolist(),
            "scoreSamples": gm.score_samples(test).tolist(),
            "score": float(gm.score(X)),
            "bic": float(gm.bic(X)),
            "aic": float(gm.aic(X)),
        },
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, K, X in datasets():
        rng = np.random.default_rng(len(name))
        lo, hi = X.min(axis=0), X.max(axis=0)
        test = rng.uniform(lo, hi, size=(8, X.shape[1]))
        runs = []
        for cov_type in TYPES:
            init = initial_parameters(X, K, cov_type, rng)
            for max_iter, tol in RUNS:
                runs.append(fit_record(X, test, K, cov_type, max_iter, tol, init))
        doc = {
            "generator": f"scripts/sklearn-fixtures.py, scikit-learn {sklearn.__version__}, numpy {np.__version__}",
            "name": name,
            "X": X.tolist(),
            "test": test.tolist(),
            "runs": runs,
        }
        path = os.path.join(OUT, f"{name}.json")
        with open(path, "w") as f:
            json.dump(doc, f, separators=(",", ":"))
        print(f"{path}: {X.shape[0]}x{X.shape[1]}, {len(runs)} runs, {os.path.getsize(path)} bytes")
        for r in runs:
            e = r["expected"]
            print(f"  {r['options']['covarianceType']:9s} maxIter {r['options']['maxIter']:3d}: "
                  f"nIter {e['nIter']:3d} converged {e['converged']!s:5s} lowerBound {e['lowerBound']:.6f}")


if __name__ == "__main__":
    main()
