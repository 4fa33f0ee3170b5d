"""Reference logits of Hugging Face transformers for tiny random-initialised models of each architecture the engine
runs: the fixtures of ArchitectureReferenceTest.

How they were made (2026-12-03, this sandbox, CPU): python 3.11 with torch 2.15.0 and transformers 5.24.0 from PyPI, and
llama.cpp's convert_hf_to_gguf.py + gguf-py from the llama-cpp-python 0.3.36 sdist on PyPI
(`pip download --no-deps --no-binary :all: llama-cpp-python`, unpacked; its vendor/llama.cpp is LLAMA_CPP below):

    PYTHONPATH=$LLAMA_CPP:$LLAMA_CPP/gguf-py python make_arch_fixtures.py

For each architecture: a config with the real layer types (and the features that set it apart switched on: biases,
Q/K norms, decoupled head size, sliding windows shorter than the prompt, soft-capping, LongRoPE with partial rotary,
NoPE layers, llama3 RoPE scaling), every parameter drawn at random and rounded to float16 (so the F16 GGUF holds
exactly the weights transformers ran in float32), saved, converted with convert_hf_to_gguf.py --outtype f16, and run by
transformers (float32, eager attention) on one fixed prompt of PROMPT_LENGTH token ids. Writes NAME.gguf and
NAME.logits.f32 (PROMPT_LENGTH x VOCAB little-endian float32, the logits at every position) and prompt.json.

The converters read a tokenizer from the model folder; these models have none, so a byte-level vocabulary of VOCAB
tokens (the 256 GPT-2 byte symbols, then control tokens) is written instead: the fixtures check the model arithmetic,
not a tokenizer (Gemma 3's converter also reads the vocabulary size from tokenizer.json, so one with VOCAB
entries is written next to the weights).
"""
import json
import os
import shutil
import sys
import tempfile

import torch
import transformers

import convert_hf_to_gguf
from conversion import exaone, gemma, llama, phi, qwen

VOCAB = 288
PROMPT_LENGTH = 24
HERE = os.path.dirname(os.path.abspath(__file__))

torch.manual_seed(20261203)
PROMPT = torch.randint(0, VOCAB, (PROMPT_LENGTH,), generator=torch.Generator().manual_seed(7)).tolist()

COMMON = dict(vocab_size=VOCAB, hidden_size=32, intermediate_size=64, num_attention_heads=4, num_key_value_heads=2,
              max_position_embeddings=128, rms_norm_eps=1e-6, bos_token_id=256, eos_token_id=257, pad_token_id=258)

MODELS = {
    "qwen2": (transformers.Qwen2Config, transformers.Qwen2ForCausalLM, "qwen2",
              dict(num_hidden_layers=2, tie_word_embeddings=False,
                   rope_parameters={"rope_type": "default", "rope_theta": 10000.0})),
    "qwen3": (transformers.Qwen3Config, transformers.Qwen3ForCausalLM, "qwen2",
              dict(num_hidden_layers=2, head_dim=16, tie_word_embeddings=True,
                   rope_parameters={"rope_type": "default", "rope_theta": 1000000.0})),
    "gemma2": (transformers.Gemma2Config, transformers.Gemma2ForCausalLM, "default",
               dict(num_hidden_layers=4, head_dim=16, query_pre_attn_scalar=16, sliding_window=5,
                    attn_logit_softcapping=3.0, final_logit_softcapping=4.0,
                    hidden_activation="gelu_pytorch_tanh")),
    "gemma3": (transformers.Gemma3TextConfig, transformers.Gemma3ForCausalLM, "default",
               dict(num_hidden_layers=6, head_dim=16, query_pre_attn_scalar=16, sliding_window=5,
                    hidden_activation="gelu_pytorch_tanh",
                    rope_parameters={"full_attention": {"rope_type": "default", "rope_theta": 1000000.0},
                                     "sliding_attention": {"rope_type": "default", "rope_theta": 10000.0}})),
    "phi3": (transformers.Phi3Config, transformers.Phi3ForCausalLM, "default",
             dict(num_hidden_layers=2, max_position_embeddings=128, original_max_position_embeddings=32,
                  tie_word_embeddings=False,
                  rope_parameters={"rope_type": "longrope", "rope_theta": 10000.0, "partial_rotary_factor": 0.5,
                                   "original_max_position_embeddings": 32,
                                   "short_factor": [1.0, 1.7], "long_factor": [2.0, 5.0]})),
    "smollm3": (transformers.SmolLM3Config, transformers.SmolLM3ForCausalLM, "smollm",
                dict(num_hidden_layers=4, no_rope_layer_interval=4, tie_word_embeddings=True,
                     rope_parameters={"rope_type": "default", "rope_theta": 10000.0})),
    "llama3": (transformers.LlamaConfig, transformers.LlamaForCausalLM, "llama-bpe",
               dict(num_hidden_layers=2, tie_word_embeddings=True,
                    rope_parameters={"rope_type": "llama3", "rope_theta": 500000.0, "factor": 8.0,
                                     "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                                     "original_max_position_embeddings": 16})),
    # EXAONE 4 without sliding-window layers (as the 1.2B): output-only norms, Q/K norms, decoupled head size.
    "exaone4": (transformers.Exaone4Config, transformers.Exaone4ForCausalLM, "exaone4",
                dict(num_hidden_layers=2, head_dim=16, tie_word_embeddings=True, sliding_window=None,
                     layer_types=["full_attention"] * 2,
                     rope_parameters={"rope_type": "default", "rope_theta": 1000000.0})),
}

PRE = {}


def tiny_vocab(self):
    """A byte-level BPE vocabulary without merges: each byte is a token, then control tokens up to VOCAB."""
    byte_symbols = [chr(c) for c in list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAD))
                    + list(range(0xAE, 0x100))]
    extra = [c for c in range(256) if chr(c) not in byte_symbols]
    symbols = {ord(s): s for s in byte_symbols}
    for n, c in enumerate(extra):
        symbols[c] = chr(256 + n)
    tokens = [symbols[b] for b in range(256)] + ["<|begin|>", "<|end|>", "<|pad|>"]
    tokens += [f"<|extra_{i}|>" for i in range(VOCAB - len(tokens))]
    types = [1] * 256 + [3] * (VOCAB - 256)
    w = self.gguf_writer
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre(PRE["current"])
    w.add_token_list(tokens)
    w.add_token_types(types)
    w.add_token_merges([])
    w.add_bos_token_id(256)
    w.add_eos_token_id(257)
    w.add_pad_token_id(258)


for cls in (qwen.Qwen2Model, qwen.Qwen3Model, gemma.Gemma2Model, gemma.Gemma3Model, phi.Phi3MiniModel,
            llama.LlamaModel, llama.SmolLM3Model, exaone.Exaone4Model):
    cls.set_vocab = tiny_vocab


def randomise(model, gemma_norms):
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "norm" in name and not gemma_norms:
                p.copy_(1.0 + 0.2 * torch.randn_like(p))
            else:
                p.copy_(0.3 * torch.randn_like(p))
            p.copy_(p.half().float())


def make(name, config_class, model_class, pre, extra):
    config = config_class(**{**COMMON, **extra})
    config._attn_implementation = "eager"
    model = model_class(config).eval()
    randomise(model, name.startswith("gemma"))
    with tempfile.TemporaryDirectory() as tmp:
        model.save_pretrained(tmp)
        # Gemma 3's converter trims the embedding to the tokenizer's size, read from tokenizer.json.
        json.dump({"model": {"vocab": {f"t{i}": i for i in range(VOCAB)}}, "added_tokens": []},
                  open(os.path.join(tmp, "tokenizer.json"), "w"))
        PRE["current"] = pre
        out = os.path.join(HERE, name + ".gguf")
        sys.argv = ["convert_hf_to_gguf.py", tmp, "--outtype", "f16", "--outfile", out]
        convert_hf_to_gguf.main()
    with torch.no_grad():
        logits = model(torch.tensor([PROMPT])).logits[0]
    logits.numpy().astype("<f4").tofile(os.path.join(HERE, name + ".logits.f32"))
    print(name, os.path.getsize(out), "bytes; argmax", logits.argmax(-1).tolist()[-6:])


wanted = sys.argv[1:] or list(MODELS)
for name in wanted:
    make(name, *MODELS[name])
json.dump({"vocab": VOCAB, "prompt": PROMPT,
           "reference": f"transformers {transformers.__version__}, torch {torch.__version__}, float32, eager, CPU"},
          open(os.path.join(HERE, "prompt.json"), "w"), indent=1)
