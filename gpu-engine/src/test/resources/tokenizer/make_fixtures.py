#!/usr/bin/env python3
"""Tokenizer fixtures from independent implementations, for TokenizerFixturesTest.

How these files were made (run twice: byte-identical output):
    /work/ref/venv/bin/python gpu-engine/src/test/resources/tokenizer/make_fixtures.py \
        /work/shared/models/llama-2-tiny-random.gguf models/SmolLM2-135M-Instruct.Q4_1.gguf
with llama-cpp-python 0.3.36 (llama.cpp built from source by pip), sentencepiece 0.2.3, transformers 5.24.0,
tokenizers 0.23.3 (the versions are also written into each JSON file).

The ids ("ids") come from llama.cpp: Llama(model_path, vocab_only=True).tokenize(text, add_bos=False,
special=parse_special); "decoded" is llama.cpp's llama_detokenize(ids, remove_special=False, unparse_special=False)
through the C API (control tokens render as nothing; with add_space_prefix the first token loses its leading space).
Each case is also run through a second implementation and the agreement is recorded per case ("crosscheck"):
  - the 32k Llama vocabulary: Google's sentencepiece library, loading a ModelProto rebuilt from the GGUF
    (BPE, byte_fallback, identity normalizer, add_dummy_prefix, no whitespace folding, like Llama 2's tokenizer.model);
  - SmolLM2: Hugging Face transformers/tokenizers, building the tokenizer from the GGUF file
    (AutoTokenizer.from_pretrained(dir, gguf_file=name)), offline.
Cases with parse_special are only in llama.cpp's sense (sentencepiece has no such mode) and are not cross-checked for
Llama. Known disagreements of the Hugging Face GGUF converter (why it is not used for Llama, and why some SmolLM2 cases
"differ"): it gives Llama a Metaspace pre-tokenizer that adds no dummy-prefix space when the text already starts with
one (llama.cpp and sentencepiece do add it), and it gives SmolLM2 a plain ByteLevel pre-tokenizer without the
individual-digits split of SmolLM2's own tokenizer.json (Sequence[Digits(individual_digits), ByteLevel]), which shows
with digits other than 0-9 (², Arabic-Indic) and with whitespace just before digits; every SmolLM2 case marked
"differs" is of this kind.
"""
import ctypes
import importlib.metadata
import json
import os
import random
import sys
import tempfile

import gguf
import llama_cpp
import sentencepiece
import tokenizers
import transformers
from llama_cpp import Llama

CASES = [
    ("Hello world", False),
    ("Once upon a time, there was a little girl named Lily.", False),
    (" Hello", False),
    ("   leading and trailing spaces   ", False),
    ("안녕하세요, 세계! 한국어 문장입니다.", False),
    ("서울특별시는 대한민국의 수도이다. 인구는 약 950만 명이다.", False),
    ("日本語のテキストと中文文本。", False),
    ("Ünïcödé àccents: café, naïve, Straße, Ελληνικά, русский язык", False),
    ("def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n", False),
    ("public final class Main {\n\tpublic static void main(String[] args) {\n"
     "\t\tSystem.out.println(\"Hi!\"); // tab-indented\n\t}\n}\n", False),
    ("    if (x != null && x.size() >= 10) {\n        return List.of();\n    }", False),
    ("🚀 rocket, 👍🏽 thumbs, 👨‍👩‍👧‍👦 family, 🏳️‍🌈 flag, 😶‍🌫️ face in clouds", False),
    ("a  b   c    d\t\te\n\nf\r\n g \n\n\n   \t x", False),
    ("   ", False),
    ("\n", False),
    ("\t\t", False),
    (" \n \n", False),
    ("3.14159 2024-06-01 1,000,000 0x1F 12345678901234567890 ٣٤٥", False),
    ("I'm sure you'll see they've gone; it's John's. DON'T SHOUT, we'RE fine", False),
    ("Hello!!! What??? ...ok... (a) [b] {c} <d> #$%^&*_+=|\\/~`", False),
    ("# Title\n\n- item 1\n- item 2\n\n```json\n{\"key\": [1, 2, 3]}\n```\n", False),
    ("https://example.com/path?q=1&r=2 mail@example.org", False),
    ("𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ⚡ ꙮ 🜁 \u00a0non-breaking\u3000ideographic space", False),
    ("", False),
    ("<|im_start|>user\nHi<|im_end|>", True),
    ("<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\n안녕!<|im_end|>\n<|im_start|>assistant\n",
     True),
    ("<|im_start|>user\nHi<|im_end|>", False),
    ("<s>[INST] Hello [/INST]</s>", True),
    ("<s>[INST] Hello [/INST]</s>", False),
    ("text<|endoftext|>more", True),
]

# Random mixtures of the pieces that stress pre-tokenizers and special-token splitting; the seed makes them the same
# on every run (random.Random's choice/randint are stable across Python 3 versions).
RANDOM_PIECES = [
    "a", "Hello", " world", "'s", "'T", "'ll", "'RE", "don't", " ", "  ", "   ", "\t", "\n", "\r\n", "\n\n", " \n",
    "\u00a0", "\u3000", "\u2009", "\u0085", "\x0b", "\x1c", "0", "12", "345", "6789", "²", "½", "안녕", "하세요",
    "世界", "日本", "ﾃｽﾄ", "🚀", "👍🏽", "👨\u200d👩\u200d👧", "🏳️\u200d🌈", "é", "e\u0301", "ß", "Ελλ", "рус", "!", "?",
    "...", ",", "(", ")", "{", "}", "<", ">", "$", "+", "=", "^", "|", "`", "#", "@", "_", "-", "—", "“", "'", "\"", "/",
    "\\", "<|im_start|>", "<|im_end|>", "<s>", "</s>", "<|endoftext|>", "def ", "    return x\n", "\ufeff", "𝔘",
]
RANDOM_COUNT = 40


def random_cases():
    rng = random.Random(20240601)
    return [("".join(rng.choice(RANDOM_PIECES) for _ in range(rng.randint(1, 20))), i % 2 == 1)
            for i in range(RANDOM_COUNT)]


def versions():
    return {name: importlib.metadata.version(name)
            for name in ("llama_cpp_python", "sentencepiece", "transformers", "tokenizers", "gguf")}


def gguf_vocabulary(path):
    reader = gguf.GGUFReader(path)

    def strings(key):
        field = reader.fields[key]
        return [bytes(field.parts[i]).decode("utf-8") for i in field.data]

    def numbers(key):
        field = reader.fields[key]
        return [field.parts[i].tolist()[0] for i in field.data]

    return strings("tokenizer.ggml.tokens"), numbers("tokenizer.ggml.scores"), numbers("tokenizer.ggml.token_type")


def sentencepiece_from_gguf(path):
    from sentencepiece import sentencepiece_model_pb2 as pb

    tokens, scores, types = gguf_vocabulary(path)
    proto = pb.ModelProto()
    proto.trainer_spec.model_type = pb.TrainerSpec.BPE
    proto.trainer_spec.vocab_size = len(tokens)
    proto.trainer_spec.byte_fallback = True
    proto.trainer_spec.unk_id, proto.trainer_spec.bos_id, proto.trainer_spec.eos_id, proto.trainer_spec.pad_id = 0, 1, 2, -1
    proto.normalizer_spec.name = "identity"
    proto.normalizer_spec.add_dummy_prefix = True
    proto.normalizer_spec.remove_extra_whitespaces = False
    proto.normalizer_spec.escape_whitespaces = True
    kinds = {1: pb.ModelProto.SentencePiece.NORMAL, 2: pb.ModelProto.SentencePiece.UNKNOWN,
             3: pb.ModelProto.SentencePiece.CONTROL, 4: pb.ModelProto.SentencePiece.USER_DEFINED,
             5: pb.ModelProto.SentencePiece.UNUSED, 6: pb.ModelProto.SentencePiece.BYTE}
    for text, score, kind in zip(tokens, scores, types):
        piece = proto.pieces.add()
        piece.piece, piece.score, piece.type = text, score, kinds[kind]
    processor = sentencepiece.SentencePieceProcessor()
    processor.LoadFromSerializedProto(proto.SerializeToString())
    return lambda text, parse_special: None if parse_special else processor.encode(text)


def hugging_face_from_gguf(path):
    os.environ["HF_HUB_OFFLINE"] = "1"
    directory = tempfile.mkdtemp()
    os.symlink(os.path.abspath(path), os.path.join(directory, os.path.basename(path)))
    tokenizer = transformers.AutoTokenizer.from_pretrained(directory, gguf_file=os.path.basename(path))
    return lambda text, parse_special: tokenizer.encode(
        text, add_special_tokens=False, split_special_tokens=not parse_special)


def detokenize(llama, ids):
    tokens = (llama_cpp.llama_token * max(1, len(ids)))(*ids)
    size = 16 * len(ids) + 16
    buffer = ctypes.create_string_buffer(size)
    n = llama_cpp.llama_detokenize(llama._model.vocab, tokens, len(ids), buffer, size, False, False)
    assert 0 <= n <= size, n
    return buffer.raw[:n].decode("utf-8", errors="replace")


def fixture(path, crosscheck_name, crosscheck):
    llama = Llama(model_path=path, vocab_only=True, verbose=False)
    cases = []
    for text, parse_special in CASES + random_cases():
        ids = llama.tokenize(text.encode("utf-8"), add_bos=False, special=parse_special)
        decoded = detokenize(llama, ids)
        other = crosscheck(text, parse_special)
        agreement = "not applicable" if other is None else ("agrees" if other == ids else "differs: %s" % other)
        cases.append({"text": text, "parse_special": parse_special, "ids": ids, "decoded": decoded,
                      "crosscheck": agreement})
    return {
        "model": os.path.basename(path),
        "reference": "llama.cpp (llama-cpp-python %s), vocab_only; crosscheck: %s" % (
            llama_cpp.__version__, crosscheck_name),
        "versions": versions(),
        "cases": cases,
    }


def main(llama_path, smollm_path):
    out = os.path.dirname(os.path.abspath(__file__))
    fixtures = {
        "llama2-32k.json": fixture(llama_path, "sentencepiece %s (ModelProto rebuilt from the GGUF)"
                                   % sentencepiece.__version__, sentencepiece_from_gguf(llama_path)),
        "smollm2.json": fixture(smollm_path, "transformers %s / tokenizers %s (AutoTokenizer with gguf_file)"
                                % (transformers.__version__, tokenizers.__version__), hugging_face_from_gguf(smollm_path)),
    }
    for name, content in fixtures.items():
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            header = {key: value for key, value in content.items() if key != "cases"}
            f.write(json.dumps(header, ensure_ascii=False, indent=1)[:-2])  # one case per line below
            f.write(',\n "cases": [\n  ')
            f.write(",\n  ".join(json.dumps(case, ensure_ascii=False) for case in content["cases"]))
            f.write("\n ]\n}\n")
        differing = [c for c in content["cases"] if c["crosscheck"].startswith("differs")]
        print("%s: %d cases, crosscheck differs on %d" % (name, len(content["cases"]), len(differing)))
        for case in differing:
            print("   %r llama.cpp=%s %s" % (case["text"], case["ids"], case["crosscheck"]))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: make_fixtures.py LLAMA_2_32K_VOCAB.gguf SMOLLM2.gguf")
    main(sys.argv[1], sys.argv[2])
