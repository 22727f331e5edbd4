#!/usr/bin/env python3
"""Export a Stable Diffusion pipeline as an SDD teacher folder (TorchScript + manifest).

Run it where you have Python, torch and diffusers (written against diffusers 0.21-0.31 attribute names,
SD 1.x and 2.x pipelines):

    python tools/export-stable-diffusion.py runwayml/stable-diffusion-v1-5 --out teachers/sd15
    python tools/export-stable-diffusion.py ./my-sd2-folder --out teachers/sd2 --resolution 768
    python tools/export-stable-diffusion.py MODEL --out DIR --prompts "a smiling face" "a face"

The folder it writes (loaded by `sdd search|distill|sample --teacher DIR`):

    manifest.json       kind stable-diffusion, prediction type, schedule, scaling factor, resolution,
                        latent channels, text length and width, where the weights came from, and the
                        SHA-256 of every file
    unet.pt             (latents [B,4,h,w] float32, timesteps [B] int64, text [B,77,D]) -> noise prediction
    vae_encoder.pt      images [B,3,H,W] on [-1,1] -> latent mean [B,4,h,w] (unscaled)
    vae_decoder.pt      scaled latents [B,4,h,w] -> images [B,3,H,W] on about [-1,1]
    text_encoder.pt     token ids [B,77] int64 -> last hidden state [B,77,D]
    tokenizer.json      the tokenizer (Hugging Face tokenizers format)
or, with --prompts, instead of the last two:
    prompt_embeddings.bin   float32 little-endian [P,77,D] for the listed prompts and "" (unconditional)

Nothing is overwritten: the folder must not exist; it is written beside and renamed into place.
"""
import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile

import torch

FORMAT = "sdd-stable-diffusion"
FORMAT_VERSION = 1


class _UNet(torch.nn.Module):
    def __init__(self, unet):
        super().__init__()
        self.unet = unet

    def forward(self, latents, timesteps, text):
        out = self.unet(latents, timesteps, encoder_hidden_states=text)
        return out.sample if hasattr(out, "sample") else out[0]


class _Encoder(torch.nn.Module):
    def __init__(self, vae, channels):
        super().__init__()
        self.encoder = vae.encoder
        self.quant_conv = vae.quant_conv
        self.channels = channels

    def forward(self, images):
        moments = self.quant_conv(self.encoder(images))
        return moments[:, : self.channels]  # the mean of the diagonal Gaussian


class _Decoder(torch.nn.Module):
    def __init__(self, vae, scaling_factor):
        super().__init__()
        self.post_quant_conv = vae.post_quant_conv
        self.decoder = vae.decoder
        self.scaling_factor = scaling_factor

    def forward(self, latents):
        return self.decoder(self.post_quant_conv(latents / self.scaling_factor))


class _TextEncoder(torch.nn.Module):
    def __init__(self, text_encoder):
        super().__init__()
        self.text_encoder = text_encoder

    def forward(self, ids):
        out = self.text_encoder(ids)
        return out.last_hidden_state if hasattr(out, "last_hidden_state") else out[0]


def _config(obj, key, default=None):
    cfg = getattr(obj, "config", {})
    if isinstance(cfg, dict):
        return cfg.get(key, default)
    return getattr(cfg, key, default)


def _sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def tokenize(tokenizer_json_backend, pad_id, max_length, prompts):
    """Token ids as the Java teacher builds them: special tokens, truncation keeping the last, padding."""
    rows = []
    for p in prompts:
        ids = list(tokenizer_json_backend.encode(p).ids)
        if len(ids) > max_length:
            ids = ids[: max_length - 1] + ids[-1:]
        rows.append(ids + [pad_id] * (max_length - len(ids)))
    return torch.tensor(rows, dtype=torch.int64)


def export(pipe, out, source=None, revision=None, resolution=None, prompts=None):
    """Writes the teacher folder for a diffusers-style pipeline; returns the manifest."""
    if os.path.exists(out):
        raise SystemExit(f"{out} exists; choose a new folder (nothing was written)")
    unet, vae, text_encoder, tokenizer, scheduler = (pipe.unet, pipe.vae, pipe.text_encoder, pipe.tokenizer,
                                                     pipe.scheduler)
    for m in (unet, vae, text_encoder):
        m.eval()
        for p in m.parameters():
            p.requires_grad_(False)
    prediction = _config(scheduler, "prediction_type", "epsilon")
    if prediction not in ("epsilon", "v_prediction"):
        raise SystemExit(f"prediction type {prediction!r} is not supported (epsilon, v_prediction)")
    beta_schedule = _config(scheduler, "beta_schedule", "scaled_linear")
    scaling = float(_config(vae, "scaling_factor", 0.18215))
    latent_channels = int(_config(unet, "in_channels", 4))
    down = 2 ** (len(_config(vae, "block_out_channels", [0, 0, 0, 0])) - 1)
    if resolution is None:
        resolution = int(_config(unet, "sample_size", 64)) * down
    h = resolution // down
    max_length = int(getattr(tokenizer, "model_max_length", 77))
    if max_length > 512:
        max_length = 77
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if backend is None:
        from transformers.convert_slow_tokenizer import convert_slow_tokenizer
        backend = convert_slow_tokenizer(tokenizer)
    ids = tokenize(backend, pad_id, max_length, ["", "a photo"])
    width = int(_TextEncoder(text_encoder)(ids).shape[-1])

    parent = os.path.dirname(os.path.abspath(out))
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="." + os.path.basename(out) + ".", dir=parent)
    try:
        with torch.no_grad():
            lat = torch.randn(2, latent_channels, h, h)
            ts = torch.tensor([10, 500], dtype=torch.int64)
            emb = torch.randn(2, max_length, width)
            img = torch.rand(2, 3, resolution, resolution) * 2 - 1
            torch.jit.trace(_UNet(unet), (lat, ts, emb), check_trace=False).save(os.path.join(tmp, "unet.pt"))
            torch.jit.trace(_Encoder(vae, latent_channels), (img,), check_trace=False).save(
                os.path.join(tmp, "vae_encoder.pt"))
            torch.jit.trace(_Decoder(vae, scaling), (lat,), check_trace=False).save(
                os.path.join(tmp, "vae_decoder.pt"))
            modules = {"unet": "unet.pt", "vaeEncoder": "vae_encoder.pt", "vaeDecoder": "vae_decoder.pt"}
            text = {"length": max_length, "width": width}
            if prompts:
                listed = [""] + [p for p in prompts if p != ""]
                e = _TextEncoder(text_encoder)(tokenize(backend, pad_id, max_length, listed)).float()
                e.numpy().astype("<f4").tofile(os.path.join(tmp, "prompt_embeddings.bin"))
                modules["promptEmbeddings"] = "prompt_embeddings.bin"
                text["prompts"] = listed
            else:
                torch.jit.trace(_TextEncoder(text_encoder), (ids,), check_trace=False).save(
                    os.path.join(tmp, "text_encoder.pt"))
                backend.save(os.path.join(tmp, "tokenizer.json"))
                modules["textEncoder"] = "text_encoder.pt"
                modules["tokenizer"] = "tokenizer.json"
                text["padTokenId"] = int(pad_id)
        manifest = {
            "format": FORMAT,
            "formatVersion": FORMAT_VERSION,
            "kind": "stable-diffusion",
            "predictionType": prediction,
            "schedule": {
                "type": beta_schedule,
                "betaStart": float(_config(scheduler, "beta_start", 0.00085)),
                "betaEnd": float(_config(scheduler, "beta_end", 0.012)),
                "steps": int(_config(scheduler, "num_train_timesteps", 1000)),
            },
            "scalingFactor": scaling,
            "resolution": resolution,
            "latentChannels": latent_channels,
            "latentDownsample": down,
            "encoderOutput": "mean",
            "text": text,
            "modules": modules,
            "source": {"model": source or "unknown", "revision": revision or "unknown",
                       "exportedWith": f"torch {torch.__version__}"},
        }
        manifest["files"] = {n: _sha256(os.path.join(tmp, n)) for n in sorted(os.listdir(tmp))}
        with open(os.path.join(tmp, "manifest.json"), "w") as f:
            json.dump(manifest, f, indent=2)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)  # mkdtemp made it private
        os.rename(tmp, out)
        return manifest
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", help="diffusers model id or local folder")
    ap.add_argument("--out", required=True, help="teacher folder to create (must not exist)")
    ap.add_argument("--revision", default=None)
    ap.add_argument("--resolution", type=int, default=None, help="image size (default: the model's)")
    ap.add_argument("--prompts", nargs="+", default=None,
                    help="write these prompts' embeddings instead of the text encoder and tokenizer")
    a = ap.parse_args(argv)
    from diffusers import StableDiffusionPipeline
    pipe = StableDiffusionPipeline.from_pretrained(a.model, revision=a.revision, torch_dtype=torch.float32)
    m = export(pipe, a.out, source=a.model, revision=a.revision, resolution=a.resolution, prompts=a.prompts)
    print(f"wrote {a.out}: {m['predictionType']}, {m['resolution']} px, text width {m['text']['width']}")


if __name__ == "__main__":
    sys.exit(main())
