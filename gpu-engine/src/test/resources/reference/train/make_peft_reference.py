"""PyTorch + PEFT reference for the JVM LoRA trainer (dev.hanul.engine.train).

Builds the tiny Llama that PeftReferenceInputs writes (a GGUF of F32 weights) as a transformers LlamaForCausalLM,
wraps it with PEFT LoRA on all seven projections, starts from the JVM trainer's own initial A matrices (read from the
initial adapter GGUF; B = 0 as PEFT), and trains 50 AdamW steps with Hugging Face's cosine schedule with warm-up,
gradient clipping and two accumulation micro-batches, on a copy task whose prompt tokens carry no loss. Writes the
batches and the per-step loss, gradient norm and learning rate to peft_reference.json.

Usage (see README.md next to this file):
    java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes \
        dev.hanul.engine.train.PeftReferenceInputs /tmp/peftref
    python make_peft_reference.py /tmp/peftref peft_reference.json
"""
import json
import math
import sys

import numpy as np
import peft
import torch
import transformers
from gguf import GGUFReader
from peft import LoraConfig, get_peft_model
from transformers import LlamaConfig, LlamaForCausalLM, get_cosine_schedule_with_warmup

# Must equal PeftReferenceInputs.SHAPE and .HYPERPARAMETERS.
DIM, LAYERS, FFN, HEADS, KV_HEADS, VOCAB = 64, 2, 128, 4, 2, 96
RANK, ALPHA, LR, WARMUP, TOTAL, WEIGHT_DECAY, MAX_GRAD_NORM, ACCUMULATION = 4, 8.0, 1e-2, 5, 50, 0.01, 1.0, 2
BATCH = 4
TARGETS = {"q_proj": "attn_q", "k_proj": "attn_k", "v_proj": "attn_v", "o_proj": "attn_output",
           "gate_proj": "ffn_gate", "up_proj": "ffn_up", "down_proj": "ffn_down"}


def tensors(path):
    return {t.name: np.array(t.data, dtype=np.float32).reshape([int(d) for d in reversed(t.shape)])
            for t in GGUFReader(path).tensors}


def unpermute(w, heads):
    """Undo llama.cpp's convert permutation of Q/K rows (adjacent-pair RoPE back to rotate_half)."""
    return w.reshape(heads, w.shape[0] // heads // 2, 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def build_model(gguf_path):
    config = LlamaConfig(vocab_size=VOCAB, hidden_size=DIM, intermediate_size=FFN, num_hidden_layers=LAYERS,
                         num_attention_heads=HEADS, num_key_value_heads=KV_HEADS, max_position_embeddings=128,
                         rms_norm_eps=1e-5, rope_theta=10000.0, tie_word_embeddings=True, attention_bias=False,
                         mlp_bias=False, head_dim=DIM // HEADS)
    config._attn_implementation = "eager"
    model = LlamaForCausalLM(config)
    w = tensors(gguf_path)
    state = {"model.embed_tokens.weight": w["token_embd.weight"], "model.norm.weight": w["output_norm.weight"]}
    for l in range(LAYERS):
        p, q = f"blk.{l}.", f"model.layers.{l}."
        state[q + "input_layernorm.weight"] = w[p + "attn_norm.weight"]
        state[q + "post_attention_layernorm.weight"] = w[p + "ffn_norm.weight"]
        state[q + "self_attn.q_proj.weight"] = unpermute(w[p + "attn_q.weight"], HEADS)
        state[q + "self_attn.k_proj.weight"] = unpermute(w[p + "attn_k.weight"], KV_HEADS)
        state[q + "self_attn.v_proj.weight"] = w[p + "attn_v.weight"]
        state[q + "self_attn.o_proj.weight"] = w[p + "attn_output.weight"]
        state[q + "mlp.gate_proj.weight"] = w[p + "ffn_gate.weight"]
        state[q + "mlp.up_proj.weight"] = w[p + "ffn_up.weight"]
        state[q + "mlp.down_proj.weight"] = w[p + "ffn_down.weight"]
    state = {k: torch.from_numpy(v.copy()) for k, v in state.items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert unexpected == [] and set(missing) <= {"lm_head.weight"}, (missing, unexpected)
    model.tie_weights()
    return model


def examples(rng, count):
    """Copy task: a random prompt, a separator (token 0), the prompt again; only the copy carries loss."""
    out = []
    for e in range(count):
        n = int(rng.integers(3, 11))
        prompt = rng.integers(1, VOCAB, size=n).tolist()
        tokens = prompt + [0] + prompt
        weights = [0.0] * (n + 1) + [1.0 if e % 2 == 0 else 2.0] * n
        out.append({"tokens": tokens, "weights": weights})
    return out


def weighted_loss(model, example):
    ids = torch.tensor([example["tokens"]])
    logits = model(input_ids=ids).logits[0, :-1].float()
    targets = ids[0, 1:]
    w = torch.tensor(example["weights"][1:])
    ce = torch.nn.functional.cross_entropy(logits, targets, reduction="none")
    return (w * ce).sum()


def main(inputs, out_path):
    torch.manual_seed(0)
    model = build_model(f"{inputs}/peft-reference-model.gguf")
    model = get_peft_model(model, LoraConfig(r=RANK, lora_alpha=ALPHA, lora_dropout=0.0,
                                             target_modules=list(TARGETS), init_lora_weights=True))
    init = tensors(f"{inputs}/peft-reference-init.lora.gguf")
    with torch.no_grad():
        for name, module in model.named_modules():
            short = name.split(".")[-1]
            if short in TARGETS and hasattr(module, "lora_A"):
                layer = int(name.split(".layers.")[1].split(".")[0])
                a = init[f"blk.{layer}.{TARGETS[short]}.weight.lora_a"]
                module.lora_A["default"].weight.copy_(torch.from_numpy(a.copy()))
                assert torch.count_nonzero(module.lora_B["default"].weight) == 0
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=LR, betas=(0.9, 0.999), eps=1e-8, weight_decay=WEIGHT_DECAY)
    schedule = get_cosine_schedule_with_warmup(optimizer, WARMUP, TOTAL)
    rng = np.random.default_rng(2026)
    steps = []
    model.train()
    for step in range(TOTAL):
        batch = examples(rng, BATCH)
        total_weight = sum(sum(e["weights"][1:]) for e in batch)
        optimizer.zero_grad()
        loss = 0.0
        per_micro = BATCH // ACCUMULATION
        for m in range(ACCUMULATION):
            for example in batch[m * per_micro:(m + 1) * per_micro]:
                value = weighted_loss(model, example) / total_weight
                value.backward()
                loss += value.item()
        norm = torch.nn.utils.clip_grad_norm_(params, MAX_GRAD_NORM).item()
        lr = schedule.get_last_lr()[0]
        optimizer.step()
        schedule.step()
        steps.append({"batch": batch, "loss": loss, "grad_norm": norm, "lr": lr})
        print(f"step {step + 1:2d} loss {loss:.6f} grad norm {norm:.5f} lr {lr:.6f}")
    with open(out_path, "w") as f:
        json.dump({"how": "make_peft_reference.py on the inputs of PeftReferenceInputs (see README.md)",
                   "versions": {"torch": torch.__version__, "transformers": transformers.__version__,
                                "peft": peft.__version__},
                   "steps": steps}, f, separators=(",", ":"))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
