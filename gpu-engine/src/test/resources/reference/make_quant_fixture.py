"""Writes quant_fixture.gguf: for each tensor type the engine supports, a 4 x 512 tensor of random blocks, and beside
it "<type>.expected", the same values dequantized to F32 by gguf-py (the llama.cpp project's Python package, an
independent implementation of every format). QuantizedMatrixTest checks the CPU kernels against it.

How it was made (2026-11-24): `pip install gguf==0.19.0 numpy` then `python make_quant_fixture.py` (seeded: the file
is reproducible; Q5_0 was appended on 2026-12-03, last so the earlier tensors kept their bytes).
"""
import numpy as np
from gguf import GGMLQuantizationType as T, GGUFWriter
from gguf.constants import GGML_QUANT_SIZES
from gguf.quants import dequantize, quantize

rng = np.random.default_rng(20261124)
ROWS, COLS = 4, 512
writer = GGUFWriter("quant_fixture.gguf", "fixture")
values = rng.standard_normal((ROWS, COLS)).astype(np.float32)

for qtype in [T.F32, T.F16, T.BF16, T.Q8_0, T.Q4_0, T.Q4_1, T.Q4_K, T.Q5_K, T.Q6_K, T.Q5_0]:
    if qtype in (T.F32, T.F16, T.BF16, T.Q8_0, T.Q4_0, T.Q4_1, T.Q5_0):
        data = quantize(values, qtype)
    else:
        # gguf-py cannot quantize k-quants: random blocks are valid data, with sane f16 scales.
        block, size = GGML_QUANT_SIZES[qtype]
        data = rng.integers(0, 256, size=(ROWS, COLS // block * size), dtype=np.uint8)
        blocks = data.reshape(ROWS, -1, size)
        scales = np.frombuffer(rng.uniform(0.001, 0.02, size=blocks.shape[1] * ROWS * 2).astype(np.float16).tobytes(),
                               dtype=np.uint8).reshape(ROWS, -1, 4)
        if qtype == T.Q6_K:  # d is the last 2 bytes
            blocks[:, :, size - 2:] = scales[:, :, :2]
        else:  # d and dmin lead the block
            blocks[:, :, :4] = scales
    writer.add_tensor(qtype.name, data, raw_dtype=qtype)
    writer.add_tensor(qtype.name + ".expected", dequantize(data, qtype).astype(np.float32).reshape(ROWS, COLS))
writer.write_header_to_file()
writer.write_kv_data_to_file()
writer.write_tensors_to_file()
writer.close()
