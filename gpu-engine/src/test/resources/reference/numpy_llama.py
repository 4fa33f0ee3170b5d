"""An independent Llama forward pass in NumPy, written from the GGUF spec and the Llama paper; weights dequantized by
the `gguf` package (gguf-py, the llama.cpp project's Python reader). Used to make reference logits and greedy tokens.

Usage: python numpy_llama.py MODEL.gguf OUT_PREFIX TOKEN_ID,TOKEN_ID,... [STEPS]
Writes OUT_PREFIX.json (prompt ids, greedy ids) and OUT_PREFIX_first_logits.f32 (logits after the prompt, float32 LE).
"""
import json
import sys

import numpy as np
from gguf import GGUFReader
from gguf.quants import dequantize


def field(reader, key, default=None):
    f = reader.fields.get(key)
    return default if f is None else f.contents()


def load(path):
    r = GGUFReader(path)
    w = {t.name: dequantize(t.data, t.tensor_type).astype(np.float32).reshape([int(d) for d in reversed(t.shape)])
         for t in r.tensors}
    arch = field(r, "general.architecture")
    cfg = dict(
        dim=field(r, f"{arch}.embedding_length"), layers=field(r, f"{arch}.block_count"),
        heads=field(r, f"{arch}.attention.head_count"), kv_heads=field(r, f"{arch}.attention.head_count_kv"),
        eps=field(r, f"{arch}.attention.layer_norm_rms_epsilon", 1e-5), base=field(r, f"{arch}.rope.freq_base", 1e4))
    return w, cfg


def rms(x, g, eps):
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps) * g


def rope(x, pos, base):  # x: [T, H, D]; GGML "normal" mode rotates adjacent pairs
    d = x.shape[-1]
    inv = base ** (-np.arange(0, d, 2, dtype=np.float64) / d)
    ang = np.outer(pos, inv)  # [T, D/2]
    cos, sin = np.cos(ang)[:, None, :], np.sin(ang)[:, None, :]
    a, b = x[..., 0::2], x[..., 1::2]
    out = np.empty_like(x)
    out[..., 0::2] = a * cos - b * sin
    out[..., 1::2] = a * sin + b * cos
    return out


class Model:
    def __init__(self, path):
        self.w, self.c = load(path)
        self.k = [None] * self.c["layers"]
        self.v = [None] * self.c["layers"]
        self.n = 0

    def forward(self, tokens):
        w, c = self.w, self.c
        hd = c["dim"] // c["heads"]
        pos = np.arange(self.n, self.n + len(tokens))
        x = w["token_embd.weight"][tokens].astype(np.float64)
        for l in range(c["layers"]):
            p = f"blk.{l}."
            h = rms(x, w[p + "attn_norm.weight"], c["eps"])
            q = (h @ w[p + "attn_q.weight"].T).reshape(len(tokens), c["heads"], hd)
            k = (h @ w[p + "attn_k.weight"].T).reshape(len(tokens), c["kv_heads"], hd)
            v = (h @ w[p + "attn_v.weight"].T).reshape(len(tokens), c["kv_heads"], hd)
            q, k = rope(q, pos, c["base"]), rope(k, pos, c["base"])
            self.k[l] = k if self.k[l] is None else np.concatenate([self.k[l], k])
            self.v[l] = v if self.v[l] is None else np.concatenate([self.v[l], v])
            K = np.repeat(self.k[l], c["heads"] // c["kv_heads"], axis=1)
            V = np.repeat(self.v[l], c["heads"] // c["kv_heads"], axis=1)
            s = np.einsum("thd,shd->hts", q, K) / np.sqrt(hd)
            s = s + np.where(np.arange(K.shape[0])[None, :] > pos[:, None], -np.inf, 0)[None]
            s = np.exp(s - s.max(-1, keepdims=True))
            s /= s.sum(-1, keepdims=True)
            o = np.einsum("hts,shd->thd", s, V).reshape(len(tokens), -1)
            x = x + o @ w[p + "attn_output.weight"].T
            h = rms(x, w[p + "ffn_norm.weight"], c["eps"])
            g = h @ w[p + "ffn_gate.weight"].T
            x = x + (g / (1 + np.exp(-g)) * (h @ w[p + "ffn_up.weight"].T)) @ w[p + "ffn_down.weight"].T
        self.n += len(tokens)
        out = w.get("output.weight", w["token_embd.weight"])
        return rms(x[-1], w["output_norm.weight"], c["eps"]) @ out.T


if __name__ == "__main__":
    model = Model(sys.argv[1])
    prompt = [int(t) for t in sys.argv[3].split(",")]
    steps = int(sys.argv[4]) if len(sys.argv) > 4 else 48
    logits = model.forward(prompt)
    logits.astype("<f4").tofile(sys.argv[2] + "_first_logits.f32")
    greedy = []
    for _ in range(steps):
        greedy.append(int(np.argmax(logits)))
        logits = model.forward([greedy[-1]])
    json.dump({"prompt_ids": prompt, "greedy_ids": greedy}, open(sys.argv[2] + ".json", "w"))
    print(greedy)
