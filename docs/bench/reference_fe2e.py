#!/usr/bin/env python3
"""The reference side of docs/performance.md's FE2E comparison: the same network in PyTorch.

Not part of `make bench` (the product's benches need no Python). Run it on the machine that runs
`ModelBenchJob`, interleaved with it, to put the product's training and inference utterances/s next
to PyTorch's on the same batch shape:

    apt-get install python3-torch        # Debian's PyTorch (1.13 on bookworm)
    python3 docs/bench/reference_fe2e.py --threads 2 --rounds 3

The network mirrors FE2E at the paper's widths as the product builds it (Fe2eGraph, FeatureCnn):
per modality a CNN applied to every frame (3 x 48 x 48 face crops) or audio chunk (1 x 128 mel
bins x 32 frames): conv5x5(64)+BN+ReLU, max-pool 2, VGG(64), VGG(64), VGG(128), pool, VGG(256),
pool, VGG(512), pool, where VGG = two conv3x3+BN+ReLU; then Linear(1024)+ReLU, Linear(64); a
4-layer Transformer encoder (d_model 64, 4 heads, feed-forward 2048, dropout 0.1, post-norm as
nn.TransformerEncoderLayer) over [CLS] + the sequence, CLS out; a linear head per modality; the
three heads' logits fused by learned weights; BCE with logits (positive weights 3.0); Adam.
Text: token embeddings (vocabulary 1000, N(0, 1)) with sinusoidal positions into the same
encoder. Batch: 8 utterances x (10 frames, 13 chunks, 100 tokens), every step real, as
ModelThroughput.randomBatch builds it.
"""
import argparse
import math
import time

import torch
from torch import nn


def vgg(cin, cout):
    return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
            nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)]


def feature_cnn(channels):
    return nn.Sequential(
        nn.Conv2d(channels, 64, 5, padding=2, bias=False), nn.BatchNorm2d(64), nn.ReLU(inplace=True),
        nn.MaxPool2d(2),
        *vgg(64, 64), *vgg(64, 64), *vgg(64, 128), nn.MaxPool2d(2),
        *vgg(128, 256), nn.MaxPool2d(2),
        *vgg(256, 512), nn.MaxPool2d(2),
        nn.Flatten())


class Encoder(nn.Module):
    """[CLS] + sequence through nn.TransformerEncoder; the CLS position's output."""

    def __init__(self, dim, heads, layers, ff, dropout):
        super().__init__()
        self.cls = nn.Parameter(torch.randn(1, 1, dim) * 0.02)
        layer = nn.TransformerEncoderLayer(dim, heads, ff, dropout, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers)

    def forward(self, x):
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], dim=1)
        return self.encoder(x)[:, 0]


class PerStepBranch(nn.Module):
    def __init__(self, channels, height, width, dim, classes, enc):
        super().__init__()
        self.cnn = feature_cnn(channels)
        with torch.no_grad():
            flat = self.cnn(torch.zeros(1, channels, height, width)).shape[1]
        self.fc = nn.Sequential(nn.Linear(flat, 1024), nn.ReLU(inplace=True), nn.Linear(1024, dim))
        self.encoder = Encoder(dim, *enc)
        self.head = nn.Linear(dim, classes)
        self.shape = (channels, height, width)

    def forward(self, x):  # x: [batch, steps, C, H, W]
        b, s = x.shape[:2]
        features = self.fc(self.cnn(x.reshape(b * s, *self.shape))).reshape(b, s, -1)
        return self.head(self.encoder(features))


class TextBranch(nn.Module):
    def __init__(self, vocab, tokens, dim, classes, enc):
        super().__init__()
        self.embedding = nn.Embedding(vocab, dim)
        nn.init.normal_(self.embedding.weight, 0, 1)
        position = torch.arange(tokens).unsqueeze(1)
        rate = torch.exp(torch.arange(0, dim, 2) * (-math.log(10000.0) / dim))
        pe = torch.zeros(tokens, dim)
        pe[:, 0::2] = torch.sin(position * rate)
        pe[:, 1::2] = torch.cos(position * rate)
        self.register_buffer("positions", pe)
        self.encoder = Encoder(dim, *enc)
        self.head = nn.Linear(dim, classes)

    def forward(self, ids):
        return self.head(self.encoder(self.embedding(ids) + self.positions))


class Fe2e(nn.Module):
    def __init__(self, classes=6, dim=64, heads=4, layers=4, ff=2048, dropout=0.1, vocab=1000, tokens=100,
                 face=48, mel=128, chunk=32):
        super().__init__()
        enc = (heads, layers, ff, dropout)
        self.text = TextBranch(vocab, tokens, dim, classes, enc)
        self.audio = PerStepBranch(1, mel, chunk, dim, classes, enc)
        self.visual = PerStepBranch(3, face, face, dim, classes, enc)
        self.fusion = nn.Parameter(torch.full((3, 1), 1.0 / 3))

    def forward(self, ids, audio, visual):
        logits = torch.stack([self.text(ids), self.audio(audio), self.visual(visual)])
        return (logits * self.fusion.unsqueeze(-1)).sum(0)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--iterations", type=int, default=5)
    p.add_argument("--batch", type=int, default=8)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(42)
    model = Fe2e()
    b = a.batch
    ids = torch.randint(4, 1000, (b, 100))
    audio = torch.randn(b, 13, 1, 128, 32)
    visual = torch.randn(b, 10, 3, 48, 48)
    labels = torch.zeros(b, 6)
    labels[torch.arange(b), torch.randint(0, 6, (b,))] = 1
    loss_fn = nn.BCEWithLogitsLoss(pos_weight=torch.full((6,), 3.0))
    optimizer = torch.optim.Adam(model.parameters(), lr=5e-5)

    def train_step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(ids, audio, visual), labels)
        loss.backward()
        optimizer.step()

    def infer_step():
        with torch.no_grad():
            torch.sigmoid(model(ids, audio, visual))

    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads, "
          f"mkldnn {torch.backends.mkldnn.is_available()}, batch {b} x (10 frames, 13 chunks, 100 tokens), "
          f"{sum(x.numel() for x in model.parameters()):,} parameters")
    for step, mode in ((train_step, model.train), (infer_step, model.eval)):
        mode()
        step()
        step()  # warm-up
        best = 0.0
        for r in range(a.rounds):
            t0 = time.perf_counter()
            for _ in range(a.iterations):
                step()
            rate = a.iterations * b / (time.perf_counter() - t0)
            best = max(best, rate)
            print(f"  {'training' if step is train_step else 'inference'} round {r + 1}: {rate:.2f} utterances/s")
        print(f"  {'training' if step is train_step else 'inference'}: best {best:.2f} utterances/s")


if __name__ == "__main__":
    main()
