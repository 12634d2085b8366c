"""PyTorch IWAE peer: the importance-weighted estimate of log p(x) with the library's own
shipped weights (weights/…/model.json + weights.bin, read here by their manifest), on the
same test digits, with k samples per image, as ../ours/iwae.js computes it:

    log (1/k) Σ_s p(x|z_s) p(z_s) / q(z_s|x),   z_s ~ q(z|x),   Bernoulli p(x|z) with logits.

Batches of `batchRows` samples (whole images), under torch.no_grad(). Reports the seconds of
the whole estimate and its value (nats per image). Its noise is PyTorch's, so the value
agrees with ours to sampling error only.
"""
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn.functional as F
from threadpoolctl import threadpool_info, threadpool_limits

from common import spec, read_matrix, emit

s = spec()
X = torch.from_numpy(read_matrix(s["case"]).astype(np.float32))


def load_weights(folder):
    with open(os.path.join(folder, "model.json")) as f:
        manifest = json.load(f)["weightsManifest"][0]
    raw = np.fromfile(os.path.join(folder, manifest["paths"][0]), dtype="<f4")
    weights, offset = {}, 0
    for w in manifest["weights"]:
        size = int(np.prod(w["shape"]))
        weights[w["name"]] = torch.from_numpy(raw[offset:offset + size].reshape(w["shape"]).copy())
        offset += size
    return weights


W = load_weights(s["weightsDir"])


def layers(prefix):
    """The dense{i} layers of encoder/decoder in order: (kernel in × out, bias)."""
    out, i = [], 0
    while f"{prefix}/dense{i}/kernel" in W:
        out.append((W[f"{prefix}/dense{i}/kernel"], W[f"{prefix}/dense{i}/bias"]))
        i += 1
    return out


ENC, DEC = layers("encoder"), layers("decoder")
MEAN = (W["encoder/mean/kernel"], W["encoder/mean/bias"])
LOGVAR = (W["encoder/logVar/kernel"], W["encoder/logVar/bias"])
OUT = (W["decoder/output/kernel"], W["decoder/output/bias"])


def dense(h, layer, relu):
    y = torch.addmm(layer[1], h, layer[0])
    return F.relu(y) if relu else y


def iwae(x, k, gen):
    h = x
    for layer in ENC:
        h = dense(h, layer, True)
    mean, logvar = dense(h, MEAN, False), dense(h, LOGVAR, False)
    n, d = mean.shape
    eps = torch.randn(n, k, d, generator=gen)
    z = (mean[:, None, :] + torch.exp(0.5 * logvar)[:, None, :] * eps).reshape(n * k, d)
    h = z
    for layer in DEC:
        h = dense(h, layer, True)
    logits = dense(h, OUT, False).reshape(n, k, -1)
    log_pxz = -F.binary_cross_entropy_with_logits(logits, x[:, None, :].expand_as(logits), reduction="none").sum(2)
    c = -0.5 * d * math.log(2 * math.pi)
    log_pz = -0.5 * (z.reshape(n, k, d) ** 2).sum(2) + c
    log_qz = -0.5 * (eps ** 2 + logvar[:, None, :]).sum(2) + c
    return torch.logsumexp(log_pxz + log_pz - log_qz, 1) - math.log(k)


def measure():
    torch.manual_seed(s["seed"])
    gen = torch.Generator().manual_seed(s["seed"])
    k = s["samples"]
    per = max(1, s["batchRows"] // k)
    start = time.perf_counter()
    with torch.no_grad():
        ll = torch.cat([iwae(X[i:i + per], k, gen) for i in range(0, X.shape[0], per)])
    return time.perf_counter() - start, float(ll.double().mean())


def blas_threads():
    pools = [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]
    return max(pools) if pools else None


# The BLAS pool is read while the limit holds: after the `with` block it is back at its default.
if s.get("threads"):
    torch.set_num_threads(s["threads"])
    with threadpool_limits(limits=s["threads"], user_api="blas"):
        seconds, value = measure()
        blas = blas_threads()
else:
    seconds, value = measure()
    blas = blas_threads()
emit({"seconds": seconds, "logLikelihood": value, "threads": torch.get_num_threads(), "blasThreads": blas,
      "versions": {"torch": torch.__version__.split("+")[0]}})
