"""PyTorch + PEFT LoRA training throughput on SmolLM2-135M's shape, for comparison with `bin/hanul bench training`.

Same work per step as the JVM benchmark: batch x sequence-length random tokens, every token predicted, LoRA rank r
(alpha 2r, dropout 0.05) on q, k, v, o, gate, up, down, float32, torch AdamW; one warm-up step, then timed steps.
Weights are random (speed does not depend on their values; the JVM side dequantizes its Q4_1 file to float32).

    python scripts/bench-training-torch.py [sequence_length] [batch] [steps] [rank] [threads]
"""
import sys
import time

import torch
from peft import LoraConfig, get_peft_model
from transformers import LlamaConfig, LlamaForCausalLM


def main():
    length, batch, steps, rank, threads = [int(a) for a in (sys.argv[1:] + ["128", "1", "4", "8", "2"][len(sys.argv) - 1:])]
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=49152, hidden_size=576, intermediate_size=1536, num_hidden_layers=30,
                         num_attention_heads=9, num_key_value_heads=3, max_position_embeddings=8192,
                         rms_norm_eps=1e-5, rope_theta=100000.0, tie_word_embeddings=True)
    model = get_peft_model(LlamaForCausalLM(config), LoraConfig(
        r=rank, lora_alpha=2 * rank, lora_dropout=0.05,
        target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]))
    model.train()
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=1e-4)
    trainable = sum(p.numel() for p in params)
    print(f"# PyTorch {torch.__version__} + PEFT LoRA training, SmolLM2-135M shape (float32), {trainable} trainable "
          f"parameters, {threads} threads")
    best, total_tokens, total_time = 0.0, 0, 0.0
    for s in range(steps + 1):
        ids = torch.randint(0, config.vocab_size, (batch, length))
        started = time.perf_counter()
        optimizer.zero_grad()
        loss = model(input_ids=ids, labels=ids).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step()
        elapsed = time.perf_counter() - started
        if s == 0:
            continue
        tokens = batch * length
        best = max(best, tokens / elapsed)
        total_tokens += tokens
        total_time += elapsed
        print(f"step {s}: loss {loss.item():.4f}, {tokens} tokens in {elapsed:.2f} s, {tokens / elapsed:.1f} tokens/s")
    print(f"| PyTorch + PEFT | {batch} x {length} tokens | rank {rank} | best {best:.1f} tokens/s | "
          f"mean {total_tokens / total_time:.1f} tokens/s |")


if __name__ == "__main__":
    main()
