"""PyTorch VAE peer: the training loop of the 784-512-2 MLP VAE (Bernoulli logits).

Loss per batch: sum over pixels of BCE-with-logits plus the Gaussian KL, averaged over
the batch; Adam with lr 1e-3. Each epoch shuffles the shared digits (torch.randperm) and
steps through them in batches of 128, the last one partial, as a user's loop does.
Reports seconds per step (a whole epoch's time / its steps) for each thread count in spec["threads"]
(0 = PyTorch's own default). An explicit count caps both PyTorch's intra-op threads and
the OpenBLAS pool its matrix products run in: torch.set_num_threads alone leaves this
Debian build's OpenBLAS at one thread per core.
"""
import time

import numpy as np
import torch
from threadpoolctl import threadpool_info, threadpool_limits
from torch import nn
import torch.nn.functional as F

from common import spec, read_matrix, emit

s = spec()
X = torch.from_numpy(read_matrix(s["case"]).astype(np.float32))
batch = s["batchSize"]
default_threads = torch.get_num_threads()


class VAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Linear(784, 512)
        self.mu = nn.Linear(512, 2)
        self.logvar = nn.Linear(512, 2)
        self.dec1 = nn.Linear(2, 512)
        self.dec2 = nn.Linear(512, 784)

    def forward(self, x):
        h = F.relu(self.enc(x))
        mu, logvar = self.mu(h), self.logvar(h)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        return self.dec2(F.relu(self.dec1(z))), mu, logvar


def loss_fn(logits, x, mu, logvar):
    bce = F.binary_cross_entropy_with_logits(logits, x, reduction="sum")
    kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return (bce + kl) / x.shape[0]


def blas_threads():
    pools = [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]
    return max(pools) if pools else None


def measure(threads):
    if threads > 0:
        with threadpool_limits(limits=threads, user_api="blas"):
            return measure_now(threads)
    return measure_now(default_threads)


def measure_now(threads):
    torch.set_num_threads(threads)
    torch.manual_seed(s["seed"])
    model = VAE()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    gen = torch.Generator().manual_seed(s["seed"])

    def step(x):
        opt.zero_grad()
        logits, mu, logvar = model(x)
        loss = loss_fn(logits, x, mu, logvar)
        loss.backward()
        opt.step()
        return loss.item()

    def epoch():
        steps = 0
        for idx in torch.randperm(X.shape[0], generator=gen).split(batch):
            last = step(X[idx])
            steps += 1
        return steps, last

    epoch()  # warm-up
    per_step = []
    for _ in range(s["reps"]):
        start = time.perf_counter()
        steps, last = epoch()
        per_step.append((time.perf_counter() - start) / steps)
    return {"threads": torch.get_num_threads(), "blasThreads": blas_threads(), "secondsPerStep": per_step, "lastLoss": last}


emit({
    "results": [measure(t) for t in s["threads"]],
    "defaultThreads": default_threads,
    "versions": {"torch": torch.__version__},
})
