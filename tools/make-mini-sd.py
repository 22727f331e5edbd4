#!/usr/bin/env python3
"""Builds the miniature Stable-Diffusion-shaped test fixture (torch only, random weights, fixed seed).

    /usr/bin/python3 tools/make-mini-sd.py sdd-backend-pytorch/src/test/resources/org/sdd4j/backend/pytorch/mini-sd

It defines a pipeline object with diffusers' attribute names (unet, vae.encoder, vae.quant_conv,
vae.post_quant_conv, vae.decoder, vae.config.scaling_factor, text_encoder, tokenizer, scheduler.config),
exports it with tools/export-stable-diffusion.py (epsilon and v_prediction variants), and writes reference
values computed here in Python from the original modules, which the Java tests reproduce.
"""
import importlib.util
import json
import math
import os
import re
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
torch.set_num_threads(1)  # the same float rounding on every machine and load
spec = importlib.util.spec_from_file_location("export_sd", os.path.join(HERE, "export-stable-diffusion.py"))
export_sd = importlib.util.module_from_spec(spec)
spec.loader.exec_module(export_sd)

WORDS = ["a", "face", "smiling", "frowning", "neutral", "with", "blond", "black", "hair", "glasses", "photo",
         "of", "person", "happy", "sad", "red", "green", "blue"]
SPECIAL = ["<pad>", "<bos>", "<eos>", "<unk>"]
WIDTH = 32          # text embedding width D
LENGTH = 77


class Config(dict):
    __getattr__ = dict.get


class Out:
    def __init__(self, **kw):
        self.__dict__.update(kw)

    def __getitem__(self, i):
        return list(self.__dict__.values())[i]


class Encoding:
    def __init__(self, ids):
        self.ids = ids


class WordLevel:
    """A word-level tokenizer in the Hugging Face tokenizers JSON format, and the same rules in Python."""

    def __init__(self):
        self.vocab = {t: i for i, t in enumerate(SPECIAL + WORDS)}

    def encode(self, text):
        words = re.findall(r"\w+|[^\w\s]+", text.lower())
        return Encoding([1] + [self.vocab.get(w, 3) for w in words] + [2])

    def save(self, path):
        special = lambda t: {"SpecialToken": {"id": t, "type_id": 0}}
        j = {
            "version": "1.0", "truncation": None, "padding": None,
            "added_tokens": [{"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                              "normalized": False, "special": True} for i, t in enumerate(SPECIAL)],
            "normalizer": {"type": "Lowercase"},
            "pre_tokenizer": {"type": "Whitespace"},
            "post_processor": {
                "type": "TemplateProcessing",
                "single": [special("<bos>"), {"Sequence": {"id": "A", "type_id": 0}}, special("<eos>")],
                "pair": [special("<bos>"), {"Sequence": {"id": "A", "type_id": 0}}, special("<eos>"),
                         {"Sequence": {"id": "B", "type_id": 1}}, special("<eos>")],
                "special_tokens": {t: {"id": t, "ids": [self.vocab[t]], "tokens": [t]} for t in ["<bos>", "<eos>"]},
            },
            "decoder": None,
            "model": {"type": "WordLevel", "vocab": self.vocab, "unk_token": "<unk>"},
        }
        with open(path, "w") as f:
            json.dump(j, f, indent=1)


class Tokenizer:
    model_max_length = LENGTH
    pad_token_id = 0
    eos_token_id = 2
    backend_tokenizer = WordLevel()


class TextEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.tok = nn.Embedding(len(SPECIAL) + len(WORDS), WIDTH)
        self.pos = nn.Parameter(torch.randn(LENGTH, WIDTH) * 0.1)
        self.norm = nn.LayerNorm(WIDTH)
        self.fc1 = nn.Linear(WIDTH, 2 * WIDTH)
        self.fc2 = nn.Linear(2 * WIDTH, WIDTH)

    def forward(self, ids):
        x = self.tok(ids) + self.pos
        x = x + self.fc2(F.gelu(self.fc1(self.norm(x))))
        return Out(last_hidden_state=x)


class ResBlock(nn.Module):
    def __init__(self, c, tdim):
        super().__init__()
        self.n1 = nn.GroupNorm(4, c)
        self.c1 = nn.Conv2d(c, c, 3, padding=1)
        self.t = nn.Linear(tdim, c)
        self.n2 = nn.GroupNorm(4, c)
        self.c2 = nn.Conv2d(c, c, 3, padding=1)

    def forward(self, x, temb):
        h = self.c1(F.silu(self.n1(x))) + self.t(temb)[:, :, None, None]
        return x + self.c2(F.silu(self.n2(h)))


class CrossAttention(nn.Module):
    def __init__(self, c, d):
        super().__init__()
        self.norm = nn.GroupNorm(4, c)
        self.q = nn.Linear(c, c)
        self.k = nn.Linear(d, c)
        self.v = nn.Linear(d, c)
        self.o = nn.Linear(c, c)

    def forward(self, x, text):
        b, c, h, w = x.shape
        s = self.norm(x).flatten(2).transpose(1, 2)
        att = torch.softmax(self.q(s) @ self.k(text).transpose(1, 2) / math.sqrt(c), dim=-1)
        return x + self.o(att @ self.v(text)).transpose(1, 2).reshape(b, c, h, w)


class UNet(nn.Module):
    def __init__(self, c=32):
        super().__init__()
        self.config = Config(in_channels=4, sample_size=8)
        self.c = c
        self.temb = nn.Sequential(nn.Linear(c, 2 * c), nn.SiLU(), nn.Linear(2 * c, 2 * c))
        self.conv_in = nn.Conv2d(4, c, 3, padding=1)
        self.r1 = ResBlock(c, 2 * c)
        self.a1 = CrossAttention(c, WIDTH)
        self.down = nn.Conv2d(c, c, 3, stride=2, padding=1)
        self.r2 = ResBlock(c, 2 * c)
        self.a2 = CrossAttention(c, WIDTH)
        self.up = nn.Conv2d(2 * c, c, 3, padding=1)
        self.r3 = ResBlock(c, 2 * c)
        self.norm_out = nn.GroupNorm(4, c)
        self.conv_out = nn.Conv2d(c, 4, 3, padding=1)

    def forward(self, sample, timestep, encoder_hidden_states, return_dict=True):
        half = self.c // 2
        freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
        args = timestep.float()[:, None] * freqs[None, :]
        temb = self.temb(torch.cat([torch.sin(args), torch.cos(args)], dim=1))
        h1 = self.a1(self.r1(self.conv_in(sample), temb), encoder_hidden_states)
        h2 = self.a2(self.r2(self.down(h1), temb), encoder_hidden_states)
        u = F.interpolate(h2, scale_factor=2.0, mode="nearest")
        h = self.r3(self.up(torch.cat([u, h1], dim=1)), temb)
        return Out(sample=self.conv_out(F.silu(self.norm_out(h))))


class VaeEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.SiLU(),
                                 nn.Conv2d(16, 16, 3, stride=2, padding=1), nn.SiLU(),
                                 nn.Conv2d(16, 16, 3, stride=2, padding=1), nn.SiLU(),
                                 nn.Conv2d(16, 16, 3, stride=2, padding=1), nn.SiLU(),
                                 nn.GroupNorm(4, 16), nn.Conv2d(16, 8, 3, padding=1))

    def forward(self, x):
        return self.net(x)


class VaeDecoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(4, 16, 3, padding=1), nn.SiLU(),
                                 nn.Upsample(scale_factor=2.0), nn.Conv2d(16, 16, 3, padding=1), nn.SiLU(),
                                 nn.Upsample(scale_factor=2.0), nn.Conv2d(16, 16, 3, padding=1), nn.SiLU(),
                                 nn.Upsample(scale_factor=2.0), nn.Conv2d(16, 3, 3, padding=1))

    def forward(self, z):
        return self.net(z)


class Vae(nn.Module):
    def __init__(self):
        super().__init__()
        self.config = Config(scaling_factor=0.18215, block_out_channels=[16, 16, 16, 16])
        self.encoder = VaeEncoder()
        self.quant_conv = nn.Conv2d(8, 8, 1)
        self.post_quant_conv = nn.Conv2d(4, 4, 1)
        self.decoder = VaeDecoder()


class Scheduler:
    def __init__(self, prediction):
        self.config = Config(prediction_type=prediction, beta_schedule="scaled_linear", beta_start=0.00085,
                             beta_end=0.012, num_train_timesteps=1000)


class Pipeline:
    def __init__(self, prediction):
        torch.manual_seed(1234)
        self.unet = UNet()
        self.vae = Vae()
        self.text_encoder = TextEncoder()
        self.tokenizer = Tokenizer()
        self.scheduler = Scheduler(prediction)


def alphas_cumprod():
    betas = torch.linspace(0.00085 ** 0.5, 0.012 ** 0.5, 1000, dtype=torch.float64) ** 2
    return torch.cumprod(1 - betas, dim=0)


def flat(t):
    return [round(float(v), 8) for v in t.detach().reshape(-1).tolist()]


def references(pipe, prediction):
    g = torch.Generator().manual_seed(99)
    abar = alphas_cumprod()
    prompts = ["a smiling face", "a face with blond hair"]
    ids = export_sd.tokenize(pipe.tokenizer.backend_tokenizer, 0, LENGTH, prompts + [""])
    with torch.no_grad():
        emb = pipe.text_encoder(ids).last_hidden_state
    latents = torch.randn(2, 4, 8, 8, generator=g)
    t = torch.tensor([250, 700], dtype=torch.int64)
    with torch.no_grad():
        raw = pipe.unet(latents, t, encoder_hidden_states=emb[:2]).sample
        raw_u = pipe.unet(latents, t, encoder_hidden_states=emb[2:3].expand(2, -1, -1)).sample
    a = abar[t].float()[:, None, None, None]

    def to_eps(out, xt, a):
        return out if prediction == "epsilon" else a.sqrt() * out + (1 - a).sqrt() * xt

    scale = 7.5
    eps_c, eps_u = to_eps(raw, latents, a), to_eps(raw_u, latents, a)
    guided = eps_u + scale * (eps_c - eps_u)

    # the SDS gradient on the pixels of one image, through the encoder
    image = (torch.rand(1, 3, 64, 64, generator=g) * 2 - 1).requires_grad_(True)
    noise = torch.randn(1, 4, 8, 8, generator=g)
    ts = torch.tensor([500], dtype=torch.int64)
    sf = pipe.vae.config.scaling_factor
    z = pipe.vae.quant_conv(pipe.vae.encoder(image))[:, :4] * sf
    ab = abar[ts].float()[:, None, None, None]
    with torch.no_grad():
        zt = ab.sqrt() * z + (1 - ab).sqrt() * noise
        c = pipe.unet(zt, ts, encoder_hidden_states=emb[0:1]).sample
        u = pipe.unet(zt, ts, encoder_hidden_states=emb[2:3]).sample
        e = to_eps(u, zt, ab) + scale * (to_eps(c, zt, ab) - to_eps(u, zt, ab))
        grad_latent = (1 - ab) * (e - noise)
    (grad_latent * z).sum().backward()
    with torch.no_grad():
        decoded = pipe.vae.decoder(pipe.vae.post_quant_conv(z / sf))
    return {
        "prompts": prompts,
        "tokenIds": ids[:2].tolist(),
        "embeddings": flat(emb[:2]),
        "latents": flat(latents), "timesteps": t.tolist(), "guidanceScale": scale,
        "raw": flat(raw), "epsilonConditional": flat(eps_c), "guided": flat(guided),
        "image": flat(image), "noise": flat(noise), "sdsTimestep": 500, "sdsPrompt": prompts[0],
        "latentOfImage": flat(z), "sdsLatentGradient": flat(grad_latent), "sdsPixelGradient": flat(image.grad),
        "decoded": flat(decoded),
    }


def main(out):
    os.makedirs(out, exist_ok=True)
    for name, prediction in (("eps", "epsilon"), ("v", "v_prediction")):
        pipe = Pipeline(prediction)
        folder = os.path.join(out, name)
        export_sd.export(pipe, folder, source="sdd4j/mini-sd (random weights, seed 1234)", revision="fixture-1")
        with open(os.path.join(out, "references-" + name + ".json"), "w") as f:
            json.dump(references(pipe, prediction), f)
    with open(os.path.join(out, "index.txt"), "w") as f:
        for name in ("eps", "v"):
            for n in sorted(os.listdir(os.path.join(out, name))):
                f.write(name + "/" + n + "\n")
        f.write("references-eps.json\nreferences-v.json\n")


if __name__ == "__main__":
    main(sys.argv[1])
