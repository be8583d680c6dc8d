#!/usr/bin/env python3
"""PyTorch CPU reference of bench/train-speed: one GAN training step of the dgm model.

  python3 bench/scripts/torch-train-step.py --family dcgan --image 32x32x3 --threads 2 --steps 10 --warmup 3

Builds the models @dgm/models builds for the family and image shape (packages/models/src:
architecture.ts, blocks.ts, dcgan.ts, conditional-gan.ts, wgan-gp.ts) and trains them with the
family's default recipe of @dgm/trainers (recipe.ts, objectives.ts, gan-step.ts): batch 64,
EMA of G on. Times each step (its real batches drawn, every update, the EMA, the losses read),
like trainGan's `ms`, and prints one JSON line: the median after the warm-up steps, and the
parameter counts (weights and batch-norm statistics, as tfjs' countParams counts them) to check
against the dgm models.

Models (default widths: G 64 and D 64 channels at the last/first stage, doubling inward):
  G: dense (no bias) to start×start×c0, batch norm, LeakyReLU 0.2; per stage a 4×4 stride-2
     transposed convolution (no bias), batch norm, LeakyReLU 0.2; a last one to the image's
     channels with tanh. 28×28 starts at 7×7 (2 stages), 32×32 and 64×64 at 4×4 (3 and 4).
  D: per stage a 4×4 stride-2 convolution, normalization after all but the first (batch norm;
     layer norm over the channels for the WGAN-GP critic), LeakyReLU 0.2; flatten; dense to one
     logit (no bias for the critic).
  cgan: G reads z ⧺ embedding(y) (50, N(0, 1)) and adds a per-class bias after each hidden
     transposed convolution; D adds one after every convolution and after the logit (dgm's
     ClassBias: the one-hot label concatenated to each layer's input, applied as a bias).
Recipes:
  dcgan, cgan: Adam 2e-4, β (0.5, 0.999); non-saturating logistic loss. cgan's D is
     matching-aware: its fake term is the mean over G's images and real images with shifted labels.
  wgan-gp: Adam 1e-4, β (0, 0.9); 5 critic updates per step, each on its own real batch, with
     the Wasserstein loss and the gradient penalty (λ 10, ε inside the norm's root); then G.

Where the two cannot be identical:
  - Layout: PyTorch computes in NCHW, tfjs in NHWC. The dense layer's units are reshaped in
    another order, and D flattens in another order: the same computation up to a permutation.
  - The critic's layer norm normalizes each pixel over its channels (tfjs layerNormalization on
    axis −1); here that takes a permute to NHWC and back around nn.LayerNorm.
  - Adam: dgm adds ε to the uncorrected √v (the ε̂ form, as TensorFlow), torch.optim.Adam to the
    bias-corrected one; same cost. Initial values follow dgm's (Glorot uniform, zero biases, the class
    biases' limits), from torch's generator, not the same numbers.
  - Images: random uint8 pixels of the image's shape with labels 0–9 (the step's time does not
    depend on them); the dgm 28×28×1 rows read MNIST. Batches are drawn in shuffled epochs, as
    dgm's batches do.
  - Each update takes the gradients its side needs and no more: G's images for D's update are
    made without a graph, and D's weights are frozen while G updates (as dgm's tape skips what
    does not lead to the side's weights; where a fused tfjs kernel's gradient computes more,
    such as a filter gradient beside the input's, that time counts on dgm's side).
  - The machine's torch decides its kernels: a build without MKL (BLAS_INFO=generic, as
    Debian's) runs dense layers and transposed convolutions (slow_conv_transpose2d: im2col +
    GEMM) on the libblas.so.3 it loads, convolutions on oneDNN. The JSON names that BLAS.
"""
import argparse
import copy
import json
import math
import os
import re
import statistics
import time

import torch
import torch.nn.functional as F
from torch import nn

CLASSES, EMBEDDING, LATENT, FILTERS, BATCH = 10, 50, 100, 64, 64
RECIPES = {
    'dcgan': {'lr': 2e-4, 'betas': (0.5, 0.999), 'critic_updates': 1},
    'cgan': {'lr': 2e-4, 'betas': (0.5, 0.999), 'critic_updates': 1},
    'wgan-gp': {'lr': 1e-4, 'betas': (0.0, 0.9), 'critic_updates': 5},
}


def stages_for(size):
    """dgm's stagesFor: a start of 7 or 4 doubled to the image's size; G's channels halve, D's double."""
    start = 7 if size % 7 == 0 else 4
    stages = round(math.log2(size / start))
    widths = [FILTERS * 2**i for i in range(stages)]
    return start, widths[::-1], widths


def batch_norm(channels, dims=2):
    # tfjs-layers' defaults: ε 1e-3, moving averages with momentum 0.99.
    return (nn.BatchNorm2d if dims == 2 else nn.BatchNorm1d)(channels, eps=1e-3, momentum=0.01)


class ClassBias(nn.Module):
    """x + Σ_taps W[tap, y]: what the one-hot label concatenated to a layer's input adds to its output."""

    def __init__(self, taps, kernel_area, in_channels, out_channels):
        super().__init__()
        limit = math.sqrt(6 / (kernel_area * (in_channels + CLASSES + out_channels)))
        self.weight = nn.Parameter(torch.empty(taps, CLASSES, out_channels).uniform_(-limit, limit))

    def forward(self, x, y):
        bias = self.weight.sum(0)[y]
        return x + bias.view(*bias.shape, *[1] * (x.dim() - 2))


class ChannelLayerNorm(nn.LayerNorm):
    """tfjs' layerNormalization({ axis: -1 }) on NHWC: each pixel over its channels."""

    def forward(self, x):
        return super().forward(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)


class Generator(nn.Module):
    def __init__(self, size, channels, conditional):
        super().__init__()
        start, widths, _ = stages_for(size)
        self.start, self.c0 = start, widths[0]
        self.embed = nn.Embedding(CLASSES, EMBEDDING) if conditional else None
        self.dense = nn.Linear(LATENT + (EMBEDDING if conditional else 0), start * start * widths[0], bias=False)
        self.bn0 = batch_norm(start * start * widths[0], dims=1)
        pairs = list(zip(widths, widths[1:]))
        self.ups = nn.ModuleList(nn.ConvTranspose2d(a, b, 4, 2, 1, bias=False) for a, b in pairs)
        self.biases = nn.ModuleList(ClassBias(4, 16, a, b) for a, b in pairs) if conditional else None
        self.bns = nn.ModuleList(batch_norm(b) for _, b in pairs)
        self.out = nn.ConvTranspose2d(widths[-1], channels, 4, 2, 1)

    def forward(self, z, y=None):
        if self.embed is not None:
            z = torch.cat([z, self.embed(y)], 1)
        x = F.leaky_relu(self.bn0(self.dense(z)), 0.2).view(-1, self.c0, self.start, self.start)
        for i, up in enumerate(self.ups):
            x = up(x)
            if self.biases is not None:
                x = self.biases[i](x, y)
            x = F.leaky_relu(self.bns[i](x), 0.2)
        return torch.tanh(self.out(x))


class Discriminator(nn.Module):
    def __init__(self, size, channels, conditional, critic):
        super().__init__()
        _, _, widths = stages_for(size)
        ins = [channels] + widths[:-1]
        self.convs = nn.ModuleList(nn.Conv2d(a, b, 4, 2, 1) for a, b in zip(ins, widths))
        norm = ChannelLayerNorm if critic else batch_norm
        self.norms = nn.ModuleList([nn.Identity()] + [norm(b) for b in widths[1:]])
        features = widths[-1] * (size >> len(widths)) ** 2
        self.logit = nn.Linear(features, 1, bias=not critic)
        self.biases = None
        if conditional:
            self.biases = nn.ModuleList([ClassBias(16, 16, a, b) for a, b in zip(ins, widths)] + [ClassBias(1, 1, features, 1)])

    def forward(self, x, y=None):
        for i, conv in enumerate(self.convs):
            x = conv(x)
            if self.biases is not None:
                x = self.biases[i](x, y)
            x = F.leaky_relu(self.norms[i](x), 0.2)
        out = self.logit(x.flatten(1))
        return out if self.biases is None else self.biases[-1](out, y)


def glorot(model):
    """Keras' initial values: Glorot-uniform kernels, zero biases (embeddings and class biases keep theirs)."""
    for m in model.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.xavier_uniform_(m.weight)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
    return model


def count(model):
    """Weights and batch-norm statistics, as tfjs' countParams counts them."""
    stats = sum(b.numel() for name, b in model.named_buffers() if name.endswith(('running_mean', 'running_var')))
    return sum(p.numel() for p in model.parameters()) + stats


class Batches:
    """Random uint8 images in shuffled epochs, scaled to [−1, 1] per batch as dgm's batches do."""

    def __init__(self, shape, images=2048):
        size, _, channels = shape
        self.images = torch.randint(0, 256, (images, channels, size, size), dtype=torch.uint8)
        self.labels = torch.arange(images) % CLASSES
        self.order, self.at = torch.randperm(images), 0

    def draw(self):
        if self.at + BATCH > len(self.order):
            self.order, self.at = torch.randperm(len(self.order)), 0
        index = self.order[self.at : self.at + BATCH]
        self.at += BATCH
        return self.images[index].float() / 127.5 - 1, self.labels[index]


class Ema:
    """dgm's GeneratorEma: ema ← d·ema + (1 − d)·G after G's t-th update, d = min(0.999, (1 + t)/(10 + t)); statistics copied."""

    def __init__(self, generator):
        self.model = copy.deepcopy(generator).requires_grad_(False)

    @torch.no_grad()
    def update(self, generator, t):
        d = min(0.999, (1 + t) / (10 + t))
        for average, weight in zip(self.model.parameters(), generator.parameters()):
            average.mul_(d).add_(weight, alpha=1 - d)
        for average, statistic in zip(self.model.buffers(), generator.buffers()):
            average.copy_(statistic)


def d_loss(real, fake):
    """Logistic D loss: −log σ(D(x)) − log(1 − σ(D(G(z)))), each a mean over the batch."""
    return F.softplus(-real).mean() + F.softplus(fake).mean()


def gradient_penalty(critic, real, fake):
    """λ·E[(‖∇D(x̂)‖ − 1)²] at x̂ = ε·x + (1 − ε)·G(z), λ = 10, one ε per image."""
    e = torch.rand(real.shape[0], 1, 1, 1)
    x = (e * real + (1 - e) * fake).requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(x).sum(), x, create_graph=True)
    norms = torch.sqrt(grad.pow(2).sum((1, 2, 3)) + 1e-12)
    return 10 * (norms - 1).pow(2).mean()


class Step:
    """One step of the family's recipe: its D updates, each on a new real batch, then G and the EMA."""

    def __init__(self, family, shape):
        size, _, channels = shape
        self.family, self.conditional = family, family == 'cgan'
        self.g = glorot(Generator(size, channels, self.conditional))
        self.d = glorot(Discriminator(size, channels, self.conditional, critic=family == 'wgan-gp'))
        recipe = RECIPES[family]
        self.critic_updates = recipe['critic_updates']
        self.g_adam = torch.optim.Adam(self.g.parameters(), lr=recipe['lr'], betas=recipe['betas'], eps=1e-8)
        self.d_adam = torch.optim.Adam(self.d.parameters(), lr=recipe['lr'], betas=recipe['betas'], eps=1e-8)
        self.ema, self.g_updates, self.data = Ema(self.g), 0, Batches(shape)

    def latents(self):
        return torch.randn(BATCH, LATENT), torch.randint(0, CLASSES, (BATCH,)) if self.conditional else None

    def d_update(self):
        real, labels = self.data.draw()
        z, fake_labels = self.latents()
        labels = labels if self.conditional else None
        with torch.no_grad():
            fake = self.g(z, fake_labels)
        real_out, fake_out = self.d(real, labels), self.d(fake, fake_labels)
        if self.family == 'wgan-gp':
            loss = fake_out.mean() - real_out.mean() + gradient_penalty(self.d, real, fake)
        elif self.conditional:
            shifted = (labels + torch.randint(1, CLASSES, labels.shape)) % CLASSES
            loss = 0.5 * (d_loss(real_out, fake_out) + d_loss(real_out, self.d(real, shifted)))
        else:
            loss = d_loss(real_out, fake_out)
        self.d_adam.zero_grad(set_to_none=True)
        loss.backward()
        self.d_adam.step()
        return loss

    def g_update(self):
        z, fake_labels = self.latents()
        self.d.requires_grad_(False)
        out = self.d(self.g(z, fake_labels), fake_labels)
        loss = -out.mean() if self.family == 'wgan-gp' else F.softplus(-out).mean()
        self.g_adam.zero_grad(set_to_none=True)
        loss.backward()
        self.g_adam.step()
        self.d.requires_grad_(True)
        self.g_updates += 1
        self.ema.update(self.g, self.g_updates)
        return loss

    def __call__(self):
        d = [self.d_update() for _ in range(self.critic_updates)][-1]
        g = self.g_update()
        return d.item(), g.item()


def blas():
    """The BLAS torch was built for and, on Linux, the library loaded: its dense layers and, without
    MKL, its transposed convolutions (im2col + GEMM) run on it; its convolutions on oneDNN."""
    info = re.search(r'BLAS_INFO=([\w-]+)', torch.__config__.show())
    try:
        with open('/proc/self/maps') as maps:
            libraries = sorted({os.path.realpath(line.split()[-1]) for line in maps if re.search(r'blas|mkl', line.split()[-1], re.I)})
    except OSError:
        libraries = []
    return ', '.join([info.group(1) if info else 'unknown'] + libraries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--family', choices=sorted(RECIPES), required=True)
    parser.add_argument('--image', default='28x28x1', help='HxWxC: 28x28x1, 32x32x3 or 64x64x3')
    parser.add_argument('--threads', type=int, required=True)
    parser.add_argument('--steps', type=int, default=10)
    parser.add_argument('--warmup', type=int, default=3)
    args = parser.parse_args()
    shape = tuple(int(v) for v in args.image.split('x'))
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    step = Step(args.family, shape)
    times = []
    for i in range(args.warmup + args.steps):
        started = time.perf_counter()
        step()
        if i >= args.warmup:
            times.append((time.perf_counter() - started) * 1000)
    print(json.dumps({
        'family': args.family,
        'imageShape': list(shape),
        'torch': torch.__version__,
        'threads': torch.get_num_threads(),
        'blas': blas(),
        'dUpdatesPerStep': step.critic_updates,
        'msPerStep': statistics.median(times),
        'stepsMs': times,
        'parameters': {'generator': count(step.g), 'discriminator': count(step.d)},
    }))


if __name__ == '__main__':
    main()
