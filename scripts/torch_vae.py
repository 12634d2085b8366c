#!/usr/bin/python3
"""PyTorch peer of the library's VAE, for comparing test -ELBO on the same data split.

Same model as `new VAE()` (784-512-2 MLP, ReLU, Bernoulli logits, closed-form KL), Adam 1e-3,
batch 128, shuffled each epoch, last partial batch kept. PyTorch's default initialisation.
--schedule cosine sets the learning rate per epoch like the library's fit option:
1e-3 · ½(1 + cos(π (epoch − 1) / epochs)).

  node scripts/train-vae.js --export-split /tmp/vae-split      # the loadMnist() split
  /usr/bin/python3 scripts/torch_vae.py --data /tmp/vae-split --epochs 30 --report 10,30

Prints one JSON line per reported epoch: train/test negative ELBO (nats per image, one z
sample per image) and, with --iwae K, the test IWAE estimate of log p(x).
"""
import argparse
import json
import math
import os
import time

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F


def load(data, name):
    x = np.fromfile(os.path.join(data, f"{name}-images.f32"), dtype="<f4").reshape(-1, 784)
    return torch.from_numpy(x.copy())


class VAE(nn.Module):
    def __init__(self, hidden=(512,), latent=2):
        super().__init__()
        enc, d = [], 784
        for h in hidden:
            enc += [nn.Linear(d, h), nn.ReLU()]
            d = h
        self.enc = nn.Sequential(*enc)
        self.mean = nn.Linear(d, latent)
        self.logvar = nn.Linear(d, latent)
        dec, d = [], latent
        for h in reversed(hidden):
            dec += [nn.Linear(d, h), nn.ReLU()]
            d = h
        dec.append(nn.Linear(d, 784))
        self.dec = nn.Sequential(*dec)

    def encode(self, x):
        h = self.enc(x)
        return self.mean(h), self.logvar(h)

    def forward(self, x):
        mean, logvar = self.encode(x)
        z = mean + torch.exp(0.5 * logvar) * torch.randn_like(mean)
        logits = self.dec(z)
        rec = F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(1)
        kl = 0.5 * (mean.pow(2) + logvar.exp() - 1 - logvar).sum(1)
        return rec, kl


@torch.no_grad()
def evaluate(model, x, seed=0):
    torch.manual_seed(seed)
    rec, kl = model(x)
    return float((rec + kl).mean()), float(rec.mean()), float(kl.mean())


@torch.no_grad()
def iwae(model, x, k, seed=0, chunk=50):
    torch.manual_seed(seed)
    out = []
    for i in range(0, len(x), chunk):
        xb = x[i:i + chunk]
        mean, logvar = model.encode(xb)
        eps = torch.randn(k, *mean.shape)
        z = mean + torch.exp(0.5 * logvar) * eps
        logits = model.dec(z)
        logpxz = -F.binary_cross_entropy_with_logits(logits, xb.expand(k, -1, -1), reduction="none").sum(-1)
        c = -0.5 * mean.shape[1] * math.log(2 * math.pi)
        logpz = -0.5 * z.pow(2).sum(-1) + c
        logqz = -0.5 * (eps.pow(2) + logvar).sum(-1) + c
        out.append(torch.logsumexp(logpxz + logpz - logqz, 0) - math.log(k))
    return float(torch.cat(out).mean())


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", default="/tmp/vae-split")
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument("--report", default="10,30")
    p.add_argument("--hidden", default="512")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--iwae", type=int, default=0)
    p.add_argument("--schedule", choices=["constant", "cosine"], default="constant")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    train, test = load(a.data, "train"), load(a.data, "test")
    model = VAE(tuple(int(h) for h in a.hidden.split(",")))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    report = {int(e) for e in a.report.split(",")}
    gen = torch.Generator().manual_seed(a.seed)
    start, steps = time.time(), 0
    for epoch in range(1, a.epochs + 1):
        if a.schedule == "cosine":
            for group in opt.param_groups:
                group["lr"] = 1e-3 * 0.5 * (1 + math.cos(math.pi * (epoch - 1) / a.epochs))
        model.train()
        for idx in torch.randperm(len(train), generator=gen).split(128):
            rec, kl = model(train[idx])
            loss = (rec + kl).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            steps += 1
        if epoch in report or epoch == a.epochs:
            elapsed = time.time() - start
            model.eval()
            tr, te = evaluate(model, train), evaluate(model, test)
            row = {"epoch": epoch, "train_neg_elbo": tr[0], "test_neg_elbo": te[0], "test_rec": te[1], "test_kl": te[2],
                   "ms_per_step": 1000 * elapsed / steps, "torch": torch.__version__, "threads": a.threads, "hidden": a.hidden,
                   "schedule": a.schedule}
            if a.iwae:
                row["test_iwae_log_px"] = iwae(model, test, a.iwae)
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
