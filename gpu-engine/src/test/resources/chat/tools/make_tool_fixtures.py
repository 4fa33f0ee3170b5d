"""Expected prompts of chat templates rendered with tools: the fixtures of ChatTemplateToolsTest.

The templates (*.jinja: Qwen 2.5, Qwen 3, SmolLM3, Llama 3.1, Llama 3.2, Mistral Nemo) are the models' own chat templates as llama.cpp keeps them in models/templates (from the
llama-cpp-python 0.3.36 sdist on PyPI). Each is rendered here by Hugging Face transformers' own renderer
(transformers 5.24.0, `render_jinja_template`, what apply_chat_template uses) on one conversation with a tool, a tool
call and its result, and on one plain conversation (plain-conversation.json); `python make_tool_fixtures.py` writes
NAME.expected.txt and NAME.plain.expected.txt beside each template.
"""
import glob
import json
import os

from transformers.utils.chat_template_utils import render_jinja_template

HERE = os.path.dirname(os.path.abspath(__file__))
CONVERSATION = json.load(open(os.path.join(HERE, "conversation.json")))

PLAIN = json.load(open(os.path.join(HERE, "plain-conversation.json")))

# Llama 3.2's template is kept for ToolCallFormat detection only (it needs strftime_now).
for path in sorted(p for p in glob.glob(os.path.join(HERE, "*.jinja")) if "Llama-3.2" not in p):
    template = open(path).read()
    rendered, _ = render_jinja_template(conversations=[CONVERSATION["messages"]], tools=CONVERSATION["tools"],
                                        chat_template=template, add_generation_prompt=True,
                                        bos_token="<s>", eos_token="</s>")
    open(path.replace(".jinja", ".expected.txt"), "w").write(rendered[0])
    print(os.path.basename(path), len(rendered[0]))
    # The same template on a conversation without tools (SmolLM3's template, as llama.cpp keeps it, has no tools).
    rendered, _ = render_jinja_template(conversations=[PLAIN["messages"]], chat_template=template,
                                        add_generation_prompt=True, bos_token="<s>", eos_token="</s>")
    open(path.replace(".jinja", ".plain.expected.txt"), "w").write(rendered[0])
