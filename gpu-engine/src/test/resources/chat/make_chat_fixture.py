"""Expected prompts for ChatTemplateTest, rendered by Hugging Face transformers' apply_chat_template from the
tokenizer.chat_template of each model file (2026-11-24; transformers 5.24.0, jinja2 3.1.6):
`python make_chat_fixture.py path/to/SmolLM2-135M-Instruct.Q4_1.gguf`."""
import json
import os
import sys

from transformers import AutoTokenizer

CONVERSATIONS = [
    [{"role": "user", "content": "What is the capital of France?"}],
    [{"role": "system", "content": "Answer in one word."}, {"role": "user", "content": "Capital of Korea?"},
     {"role": "assistant", "content": "Seoul"}, {"role": "user", "content": "서울의 인구는?"}],
]
directory, name = os.path.split(sys.argv[1])
tokenizer = AutoTokenizer.from_pretrained(directory, gguf_file=name)
cases = [{"messages": c, "add_generation_prompt": g,
          "expected": tokenizer.apply_chat_template(c, tokenize=False, add_generation_prompt=g)}
         for c in CONVERSATIONS for g in (True, False)]
json.dump({"model": name, "cases": cases}, open("smollm2_chat_template.json", "w"), indent=1, ensure_ascii=False)
