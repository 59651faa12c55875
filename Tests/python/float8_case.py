"""Makes a float8-quantized model with real Keras 3.15.1 and its expected outputs, for Tests/Runtime/Float8Tests.cs.

    run float8_case.py OUTDIR   ->  OUTDIR/model.keras, OUTDIR/model.h5, OUTDIR/io.npz (in/x, final/0)

Keras saves and reloads float8 layers here, but cannot call them: torch 1.13 has no float8 dtype and this ml_dtypes
is a shim without one (../shared/golden/keras3/SKIPPED.md). The outputs therefore follow Keras's own formula in numpy,
with the float8_e4m3fn cast done by table: the 126 finite positive values the format defines (1 sign, 4 exponent bits
with bias 7, 3 mantissa bits, subnormals at exponent 0, S.1111.111 NaN), nearest value, ties to the even code, as
IEEE casts round. keras/src/quantizers/quantizers.py quantize_and_dequantize
(x / scale, clip to +-finfo.max, cast to float8, cast back, * scale), applied to input and kernel as
keras/src/layers/core/dense.py and einsum_dense.py _float8_call do at inference, then matmul/einsum, bias, activation.
"""
import sys

import keras
import numpy as np

out = sys.argv[1]
rng = np.random.default_rng(2026)
x_in = keras.Input((5,), name="x")
dense = keras.layers.Dense(6, activation="relu", name="dense_bias")
einsum = keras.layers.EinsumDense("ab,bc->ac", output_shape=4, bias_axes="c", name="einsum")
nobias = keras.layers.Dense(3, use_bias=False, name="dense_nobias")
model = keras.Model(x_in, nobias(einsum(dense(x_in))), name="float8_mlp")
for variable in model.weights:
    variable.assign(rng.normal(size=variable.shape).astype("float32"))
model.quantize("float8")
# Scales as float8 training would leave them (amax / 448 with margin); the default 1.0 would round most values to 0.
for layer, (inputs_scale, kernel_scale) in zip(model.layers[1:], [(0.006, 0.005), (0.004, 0.006), (0.01, 0.007)]):
    layer.inputs_scale.assign(np.float32(inputs_scale))
    layer.kernel_scale.assign(np.float32(kernel_scale))
model.save(f"{out}/model.keras")
model.save(f"{out}/model.h5")
reloaded = keras.saving.load_model(f"{out}/model.keras")
for a, b in zip(sorted(model.weights, key=lambda v: v.path), sorted(reloaded.weights, key=lambda v: v.path)):
    assert np.array_equal(np.asarray(a), np.asarray(b)), a.path

# Codes 0..126 (code 127 is NaN): value = 2^(e-7) * (1 + m/8) for e > 0, 2^-6 * m/8 for e == 0.
CODES = np.arange(127)
E, M = CODES >> 3, CODES & 7
TABLE = np.where(E > 0, np.ldexp(1 + M / 8.0, E - 7), np.ldexp(M / 8.0, -6))
E4M3_MAX = np.float32(TABLE[-1])  # 448 = ml_dtypes.finfo(float8_e4m3fn).max
assert E4M3_MAX == 448


def to_e4m3(values):
    magnitude = np.abs(values.astype(np.float64))
    upper = np.clip(np.searchsorted(TABLE, magnitude), 1, len(TABLE) - 1)
    lower = upper - 1
    below, above = magnitude - TABLE[lower], TABLE[upper] - magnitude
    pick = np.where(below < above, lower, np.where(above < below, upper, np.where(lower % 2 == 0, lower, upper)))
    return np.sign(values) * TABLE[pick]


def qdq(value, scale):
    scale = np.float32(scale)
    q = to_e4m3(np.clip(np.divide(value, scale, dtype=np.float32), -E4M3_MAX, E4M3_MAX))
    return np.multiply(q.astype(np.float32), scale, dtype=np.float32)


def call(layer, x):
    kernel = qdq(np.asarray(layer._kernel), np.asarray(layer.kernel_scale))
    y = np.matmul(qdq(x, np.asarray(layer.inputs_scale)), kernel).astype(np.float32)
    if layer.bias is not None:
        y = y + np.asarray(layer.bias)
    return {"relu": lambda v: np.maximum(v, 0), "linear": lambda v: v}[layer.activation.__name__](y).astype(np.float32)


x = (rng.normal(size=(4, 5)) * 0.3).astype("float32")
y = x
for layer in model.layers[1:]:
    y = call(layer, y)
np.savez(f"{out}/io.npz", **{"in/x": x, "final/0": y})
# How far float8 is from the float computation: a runtime that skipped the rounding would be this far off.
float_y = x
for layer in model.layers[1:]:
    float_y = np.matmul(float_y, np.asarray(layer._kernel)) + (0 if layer.bias is None else np.asarray(layer.bias))
    float_y = np.maximum(float_y, 0) if layer.activation.__name__ == "relu" else float_y
print("policy", model.layers[1].dtype_policy.name, "max |y|", float(np.max(np.abs(y))), "float8 vs float", float(np.max(np.abs(y - float_y))))
