"""Differential testing of KerasPort against real Keras 3 with random models.

Draws random functional architectures from a seed with real Keras, randomizes their weights, saves them
(model.keras, model.h5 where Keras reloads it, model.json + model.weights.h5) and writes a golden-layout case
folder per draw (io.npz with the inputs, every layer call's outputs and the final outputs; case.json), so
KerasPort's ParityRunner compares every layer (see ../shared/golden/README.md for the layout).

    run random_models.py draw OUT_DIR --seeds 0-39
    run random_models.py shrink OUT_DIR --seed 17 --check "kerasport verify {case}"
    run random_models.py shrink OUT_DIR --seed 4 --perturb Dense --check "kerasport verify {case} --formats keras"

`shrink` rebuilds the draw without one step at a time and keeps each removal while the check command still fails
(exit code != 0), then writes the smallest failing case folder to OUT_DIR/shrunk-<seed>. `--perturb CLASS` adds 1
to the recorded outputs of every CLASS layer: a failure on purpose, which shrinks to the steps that make such a layer.
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import warnings

os.environ.setdefault("KERAS_BACKEND", "torch")
warnings.filterwarnings("ignore")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers, ops  # noqa: E402
from keras.src import activations  # noqa: E402
from keras.src.models import functional as keras_functional  # noqa: E402

import logging  # noqa: E402

logging.getLogger("absl").setLevel(logging.ERROR)
# Every activation string Keras resolves without extra arguments ("threshold" needs its threshold and default value).
ACTIVATIONS = sorted(set(activations.ALL_OBJECTS_DICT.keys()) - {"threshold"})
BATCH = 3
TOLERANCE = {"atol": 1e-4, "rtol": 1e-4}


class Draw:
    """One random model under construction: a pool of tensors by kind (seq, vec, img) with their shapes."""

    def __init__(self, seed, skip=()):
        self.seed = seed
        self.skip = set(skip)
        self.rng = random.Random(seed)
        self.inputs, self.feeds, self.pool, self.notes = [], {}, [], []
        self.count = 0

    def name(self, prefix):
        self.count += 1
        return f"{prefix}_{self.count}"

    def pick(self, rng, kind=None, **where):
        candidates = [p for p in self.pool if (kind is None or p["kind"] == kind)
                      and all(p.get(k) == v for k, v in where.items())]
        return rng.choice(candidates) if candidates else None

    def add(self, tensor, kind, **info):
        entry = {"t": tensor, "kind": kind, **info}
        self.pool.append(entry)
        return entry


def activation(rng):
    return rng.choice(ACTIVATIONS)


def make_inputs(d):
    rng = d.rng
    steps = rng.choice([4, 5, 6])
    for i in range(rng.choice([1, 1, 2, 2, 3])):
        kind = rng.choice(["tokens", "tokens", "seq", "img"])
        name = f"input_{i}"
        if kind == "tokens":
            x = keras.Input((steps,), dtype="int32", name=name)
            data = np.array([[rng.randrange(1, 9) for _ in range(steps)] for _ in range(BATCH)], "int32")
            for b in range(BATCH):
                data[b, rng.randrange(1, steps + 1 if b else steps):] = 0  # padding at the end, one full row kept
            if rng.random() < 0.15:
                data[BATCH - 1, :] = 0  # a fully masked sample
            e = layers.Embedding(10, rng.choice([4, 6, 8]), mask_zero=rng.random() < 0.8, name=d.name("embedding"))(x)
            d.add(e, "seq", steps=steps)
        elif kind == "seq":
            features = rng.choice([3, 4, 6])
            x = keras.Input((steps, features), name=name)
            data = np.random.default_rng(d.seed * 31 + i).normal(size=(BATCH, steps, features)).astype("float32")
            if rng.random() < 0.6:
                for b in range(BATCH):
                    data[b, rng.randrange(1, steps + 1):] = 0.0
                e = layers.Masking(0.0, name=d.name("masking"))(x)
                d.add(e, "seq", steps=steps)
            else:
                d.add(x, "seq", steps=steps)
        else:
            channels_first = rng.random() < 0.3
            shape = (3, 6, 6) if channels_first else (6, 6, 3)
            x = keras.Input(shape, name=name)
            data = np.random.default_rng(d.seed * 31 + i).normal(size=(BATCH, *shape)).astype("float32")
            d.add(x, "img", channels_first=channels_first)
        d.inputs.append(x)
        d.feeds[name] = data


def features(entry):
    return entry["t"].shape[-1]


def seq_step(d, rng):
    s = d.pick(rng, "seq")
    if s is None:
        return
    x, steps = s["t"], s["steps"]
    choice = rng.choice(["dense", "dense", "layernorm", "activation", "dropout", "conv1d", "pool1d", "global1d",
                         "rnn", "rnn", "bidirectional", "timedistributed", "mha", "mha", "attention", "gqa",
                         "merge", "merge", "concat", "op", "batchnorm", "reshape", "nested", "shared", "flatten"])
    n = d.name
    if choice == "dense":
        d.add(layers.Dense(rng.choice([4, 6, 8]), activation=activation(rng), name=n("dense"))(x), "seq", steps=steps)
    elif choice == "layernorm":
        d.add(layers.LayerNormalization(name=n("layer_norm"))(x), "seq", steps=steps)
    elif choice == "activation":
        d.add(layers.Activation(activation(rng), name=n("activation"))(x), "seq", steps=steps)
    elif choice == "dropout":
        d.add(layers.Dropout(0.3, name=n("dropout"))(x), "seq", steps=steps)
    elif choice == "batchnorm":
        d.add(layers.BatchNormalization(name=n("batch_norm"))(x), "seq", steps=steps)
    elif choice == "conv1d":
        padding = rng.choice(["valid", "same", "causal"])
        y = layers.Conv1D(4, rng.choice([1, 2, 3]), padding=padding, activation=activation(rng), name=n("conv1d"))(x)
        d.add(y, "seq", steps=y.shape[1])
    elif choice == "pool1d":
        cls = rng.choice([layers.MaxPooling1D, layers.AveragePooling1D])
        y = cls(2, padding=rng.choice(["valid", "same"]), name=n("pool1d"))(x)
        d.add(y, "seq", steps=y.shape[1])
    elif choice == "global1d":
        cls = rng.choice([layers.GlobalAveragePooling1D, layers.GlobalMaxPooling1D])
        d.add(cls(name=n("global_pool1d"))(x), "vec")
    elif choice == "flatten":
        d.add(layers.Flatten(name=n("flatten"))(x), "vec")
    elif choice == "rnn":
        cls = rng.choice([layers.LSTM, layers.GRU, layers.SimpleRNN])
        seqs, state = rng.random() < 0.6, rng.random() < 0.3
        out = cls(4, return_sequences=seqs, return_state=state, name=n(cls.__name__.lower()))(x)
        first = out[0] if state else out
        d.add(first, "seq" if seqs else "vec", steps=steps)
        if state:
            d.add(out[1], "vec")
    elif choice == "bidirectional":
        cls = rng.choice([layers.LSTM, layers.GRU])
        seqs = rng.random() < 0.6
        merge = rng.choice(["concat", "sum", "mul", "ave"])
        y = layers.Bidirectional(cls(3, return_sequences=seqs), merge_mode=merge, name=n("bidirectional"))(x)
        d.add(y, "seq" if seqs else "vec", steps=steps)
    elif choice == "timedistributed":
        y = layers.TimeDistributed(layers.Dense(4, activation=activation(rng)), name=n("time_distributed"))(x)
        d.add(y, "seq", steps=steps)
    elif choice in ("mha", "gqa"):
        other = d.pick(rng, "seq") if rng.random() < 0.4 else s
        if choice == "gqa" and features(other) != features(s):
            other = s  # GroupedQueryAttention needs query and value of one feature size
        kwargs = {}
        if rng.random() < 0.25:
            kwargs["use_causal_mask"] = True
        scores = choice == "mha" and rng.random() < 0.25
        if scores:
            kwargs["return_attention_scores"] = True
        if choice == "mha":
            layer = layers.MultiHeadAttention(rng.choice([1, 2]), rng.choice([2, 3]),
                                              dropout=rng.choice([0.0, 0.0, 0.2]), name=n("mha"))
        else:
            layer = layers.GroupQueryAttention(2, 4, 2, name=n("gqa"))
        out = layer(x, other["t"], **kwargs)
        if scores:
            out = out[0]
        d.add(out, "seq", steps=steps)
    elif choice == "attention":
        other = d.pick(rng, "seq") if rng.random() < 0.4 else s
        v = other["t"]
        if features(other) != features(s):
            v = layers.Dense(features(s), name=n("dense_to_match"))(v)
        cls = rng.choice([layers.Attention, layers.AdditiveAttention])
        y = cls(name=n(cls.__name__.lower()))([x, v], use_causal_mask=rng.random() < 0.2)
        d.add(y, "seq", steps=steps)
    elif choice in ("merge", "concat"):
        other = d.pick(rng, "seq", steps=steps)
        y2 = other["t"]
        if features(other) != features(s):
            y2 = layers.Dense(features(s), name=n("dense_to_match"))(y2)
        if choice == "concat":
            y = layers.Concatenate(name=n("concatenate"))([x, y2])
        else:
            cls = rng.choice([layers.Add, layers.Subtract, layers.Multiply, layers.Average, layers.Maximum, layers.Minimum])
            y = cls(name=n(cls.__name__.lower()))([x, y2])
        d.add(y, "seq", steps=steps)
    elif choice == "op":
        fn = rng.choice(["add", "multiply", "tanh", "abs", "mean"])
        if fn == "add":
            y = ops.add(x, x)
        elif fn == "multiply":
            y = ops.multiply(x, 0.5)
        elif fn == "tanh":
            y = ops.tanh(x)
        elif fn == "abs":
            y = ops.abs(x)
        else:
            d.add(ops.mean(x, axis=1), "vec")
            return
        d.add(y, "seq", steps=steps)
    elif choice == "reshape":
        y = layers.Permute((2, 1), name=n("permute"))(x)
        y = layers.Reshape((steps, features(s)), name=n("reshape"))(y)
        d.add(y, "seq", steps=steps)
    elif choice == "nested":
        inner_in = keras.Input(x.shape[1:])
        h = layers.Dense(features(s), activation=activation(rng), name=n("inner_dense"))(inner_in)
        h = layers.LayerNormalization(name=n("inner_norm"))(h)
        inner = keras.Model(inner_in, h, name=n("nested"))
        d.add(inner(x), "seq", steps=steps)
    elif choice == "shared":
        other = d.pick(rng, "seq")
        if features(other) != features(s):
            return
        shared = layers.Dense(features(s), activation=activation(rng), name=n("shared_dense"))
        d.add(shared(x), "seq", steps=steps)
        d.add(shared(other["t"]), "seq", steps=other["steps"])


def vec_step(d, rng):
    v = d.pick(rng, "vec")
    if v is None:
        return
    x = v["t"]
    choice = rng.choice(["dense", "batchnorm", "repeat", "merge", "activation"])
    n = d.name
    if choice == "dense":
        d.add(layers.Dense(rng.choice([3, 5]), activation=activation(rng), name=n("dense"))(x), "vec")
    elif choice == "batchnorm":
        d.add(layers.BatchNormalization(name=n("batch_norm"))(x), "vec")
    elif choice == "activation":
        d.add(layers.Activation(activation(rng), name=n("activation"))(x), "vec")
    elif choice == "repeat":
        d.add(layers.RepeatVector(4, name=n("repeat_vector"))(x), "seq", steps=4)
    else:
        other = d.pick(rng, "vec")
        y2 = other["t"]
        if features(other) != features(v):
            y2 = layers.Dense(features(v), name=n("dense_to_match"))(y2)
        cls = rng.choice([layers.Add, layers.Multiply, layers.Maximum, layers.Concatenate])
        d.add(cls(name=n(cls.__name__.lower()))([x, y2]), "vec")


def img_step(d, rng):
    i = d.pick(rng, "img")
    if i is None:
        return
    x, cf = i["t"], i["channels_first"]
    fmt = "channels_first" if cf else "channels_last"
    spatial = x.shape[2:] if cf else x.shape[1:3]
    choice = rng.choice(["conv", "conv", "pool", "global", "batchnorm", "depthwise", "separable", "upsample", "pad",
                         "flatten"])
    n = d.name
    if min(spatial) < 3 and choice in ("conv", "pool", "depthwise", "separable"):
        choice = "upsample"
    if choice == "conv":
        y = layers.Conv2D(4, rng.choice([1, 2, 3]), strides=rng.choice([1, 2]), padding=rng.choice(["valid", "same"]),
                          activation=activation(rng), data_format=fmt, name=n("conv2d"))(x)
    elif choice == "depthwise":
        y = layers.DepthwiseConv2D(3, padding="same", data_format=fmt, name=n("depthwise"))(x)
    elif choice == "separable":
        y = layers.SeparableConv2D(4, 3, padding="same", data_format=fmt, name=n("separable"))(x)
    elif choice == "pool":
        cls = rng.choice([layers.MaxPooling2D, layers.AveragePooling2D])
        y = cls(2, padding=rng.choice(["valid", "same"]), data_format=fmt, name=n("pool2d"))(x)
    elif choice == "upsample":
        y = layers.UpSampling2D(2, data_format=fmt, name=n("upsampling"))(x)
    elif choice == "pad":
        y = layers.ZeroPadding2D(1, data_format=fmt, name=n("zero_padding"))(x)
    elif choice == "batchnorm":
        y = layers.BatchNormalization(axis=1 if cf else -1, name=n("batch_norm"))(x)
    elif choice == "global":
        cls = rng.choice([layers.GlobalAveragePooling2D, layers.GlobalMaxPooling2D])
        d.add(cls(data_format=fmt, name=n("global_pool2d"))(x), "vec")
        return
    else:
        d.add(layers.Flatten(name=n("flatten"))(x), "vec")
        return
    d.add(y, "img", channels_first=cf)


def build(seed, skip=()):
    """Builds draw `seed`; steps listed in `skip` are left out (for shrinking)."""
    d = Draw(seed, skip)
    make_inputs(d)
    step_count = d.rng.randrange(3, 10)
    for k in range(step_count):
        if k in d.skip:
            continue
        rng = random.Random(seed * 1000 + k)
        kinds = sorted({p["kind"] for p in d.pool})
        kind = rng.choice(kinds)
        {"seq": seq_step, "vec": vec_step, "img": img_step}[kind](d, rng)
    rng = random.Random(seed * 1000 + 999)
    # Outputs: the last tensor of the pool, and up to two earlier ones.
    outputs = [d.pool[-1]["t"]] + [p["t"] for p in rng.sample(d.pool[:-1], min(len(d.pool) - 1, rng.choice([0, 1, 2])))]
    outputs = [o for o in outputs if o not in d.inputs] or [d.pool[-1]["t"]]
    model = keras.Model(d.inputs, outputs, name=f"random_{seed}")
    return model, d.feeds, step_count


def randomize(model, seed):
    rng = np.random.default_rng(seed)
    for w in model.weights:
        shape = tuple(w.shape)
        if "variance" in w.path:
            value = rng.uniform(0.5, 1.5, shape)
        else:
            value = rng.normal(0, 0.5, shape)
        w.assign(value.astype("float32"))


def record_outputs(model, feeds):
    """Runs the model once as Keras's Functional does, recording every node's outputs under its io.npz key."""
    network_nodes = model._nodes
    current = {}
    original_get = model._get_operation_for_node
    original_fn = keras_functional.operation_fn
    outputs = {}

    def node_key(node):
        op = node.operation
        kept = [nd for i, nd in enumerate(op._inbound_nodes)
                if f"{id(op)}_ib-{i}" in network_nodes]
        index = kept.index(node) if node in kept else 0
        return f"{op.name}@{index}" if len(kept) > 1 else op.name

    def get_operation(node):
        current["node"] = node
        return original_get(node)

    def wrapped(operation, **context):
        call = original_fn(operation, **context)

        def recording(*args, **kwargs):
            result = call(*args, **kwargs)
            key = node_key(current["node"])
            for k, y in enumerate(keras.tree.flatten(result)):
                outputs[f"out/{key}/{k}"] = keras.ops.convert_to_numpy(y)
            return result
        return recording

    model._get_operation_for_node = get_operation
    keras_functional.operation_fn = wrapped
    try:
        final = model([feeds[i.name] for i in model.inputs] if len(model.inputs) > 1 else feeds[model.inputs[0].name])
    finally:
        keras_functional.operation_fn = original_fn
        del model._get_operation_for_node
    finals = [keras.ops.convert_to_numpy(y) for y in keras.tree.flatten(final)]
    return outputs, finals


def perturb_outputs(model, outputs, class_name):
    """Adds 1 to the recorded float outputs of every call of a layer of class `class_name`: a deliberate failure
    (for testing `shrink` and the comparison), which only the draw's case records, never its model files."""
    names = {op.name for op in model._operations if type(op).__name__ == class_name}
    for key, value in outputs.items():
        if key.split("/")[1].split("@")[0] in names and np.issubdtype(value.dtype, np.floating):
            outputs[key] = value + 1


def write_case(model, feeds, folder, seed, description, perturb=None):
    if os.path.exists(folder):
        shutil.rmtree(folder)
    os.makedirs(folder)
    outputs, finals = record_outputs(model, feeds)
    if perturb:
        perturb_outputs(model, outputs, perturb)
        description += f"; out/ outputs of {perturb} layers perturbed by +1 on purpose"
    predicted = model.predict([feeds[i.name] for i in model.inputs], verbose=0)
    predicted = keras.tree.flatten(predicted)
    check = max(float(np.max(np.abs(a - b))) if a.size else 0.0 for a, b in zip(finals, predicted))
    arrays = {f"in/{name}": value for name, value in feeds.items()}
    arrays.update({k: v.astype("float32") if v.dtype == np.float64 else v for k, v in outputs.items()})
    arrays.update({f"final/{k}": v for k, v in enumerate(finals)})
    np.savez(os.path.join(folder, "io.npz"), **arrays)
    files, omitted = ["case.json", "io.npz"], {}
    model.save(os.path.join(folder, "model.keras"))
    files.append("model.keras")
    with open(os.path.join(folder, "model.json"), "w") as f:
        f.write(json.dumps(json.loads(model.to_json()), indent=1))
    model.save_weights(os.path.join(folder, "model.weights.h5"))
    files += ["model.json", "model.weights.h5"]
    try:
        h5 = os.path.join(folder, "model.h5")
        model.save(h5)
        reloaded = keras.models.load_model(h5, compile=False)
        again = keras.tree.flatten(reloaded([feeds[i.name] for i in model.inputs]))
        if max(float(np.max(np.abs(keras.ops.convert_to_numpy(a) - b))) if b.size else 0.0
               for a, b in zip(again, finals)) > 1e-5:
            raise ValueError("the reloaded .h5 gives other outputs")
        files.append("model.h5")
    except Exception as e:  # noqa: BLE001 - Keras cannot always reload its own legacy file
        omitted["model.h5"] = f"{type(e).__name__}: {str(e).splitlines()[0][:200] if str(e) else ''}"
        if os.path.exists(os.path.join(folder, "model.h5")):
            os.remove(os.path.join(folder, "model.h5"))
    layer_entries = []
    for layer in model._operations:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        keys = sorted(k for k in outputs if k.startswith(f"out/{layer.name}/") or k.startswith(f"out/{layer.name}@"))
        entry = {"name": layer.name, "class_name": type(layer).__name__,
                 "kind": "layer" if isinstance(layer, keras.layers.Layer) else "op", "output_keys": keys}
        if isinstance(layer, keras.layers.Layer):
            entry["params"] = int(layer.count_params())
        layer_entries.append(entry)
    trainable = int(sum(np.prod(w.shape) for w in model.trainable_weights))
    case = {
        "case": os.path.basename(folder), "family": "random", "description": description,
        "keras_version": keras.__version__, "backend": keras.backend.backend(), "seed": seed,
        "inputs": [{"name": n, "key": f"in/{n}", "shape": list(v.shape), "dtype": str(v.dtype)} for n, v in feeds.items()],
        "outputs": [{"key": f"final/{k}", "shape": list(v.shape), "dtype": str(v.dtype)} for k, v in enumerate(finals)],
        "layers": layer_entries, "files": sorted(files), "omitted": omitted, "tolerance": TOLERANCE,
        "model_class": "Functional",
        "params": {"total": int(model.count_params()), "trainable": trainable,
                   "non_trainable": int(model.count_params()) - trainable},
        "checks": {"final_vs_predict": check},
    }
    with open(os.path.join(folder, "case.json"), "w") as f:
        json.dump(case, f, indent=1)


def draw_case(seed, folder, skip=(), perturb=None):
    keras.utils.set_random_seed(seed)
    model, feeds, steps = build(seed, skip)
    randomize(model, seed)
    classes = sorted({type(op).__name__ for op in model._operations})
    write_case(model, feeds, folder, seed, f"random draw {seed} ({steps} steps, skipped {sorted(skip)}): {', '.join(classes)}",
               perturb)
    return steps


def mask_cases():
    """Small hand-made models where a mask reaches an attention layer through other layers (Fixtures/golden/masks)."""
    def tokens(name="tokens"):
        return keras.Input((5,), dtype="int32", name=name)

    def embed(x, name="embedding"):
        return layers.Embedding(8, 4, mask_zero=True, name=name)(x)

    def mha(name):
        return layers.MultiHeadAttention(2, 2, name=name)

    cases = {}
    t = tokens()
    h = layers.LayerNormalization(name="norm")(layers.Dense(4, activation="tanh", name="dense")(embed(t)))
    cases["dense_layernorm_into_mha"] = ("Embedding(mask_zero) -> Dense -> LayerNormalization -> MultiHeadAttention: "
                                         "the mask passes Dense and LayerNormalization", keras.Model(t, mha("mha")(h, h)))
    t = tokens()
    e = embed(t)
    a = mha("mha_1")(e, e)
    s = layers.Add(name="residual")([e, a])
    n = layers.LayerNormalization(name="norm")(s)
    cases["residual_after_mha"] = ("Add([x, mha(x, x)]) -> LayerNormalization -> MultiHeadAttention: MultiHeadAttention "
                                   "clears x's mask before Add reads it, so Add and what follows carry no mask",
                                   keras.Model(t, mha("mha_2")(n, n)))
    t = tokens()
    e = embed(t)
    a = mha("mha_1")(e, e)
    b = mha("mha_2")(a, a)
    c = layers.Attention(name="attention")([b, b])
    cases["attention_chain"] = ("MultiHeadAttention -> MultiHeadAttention -> Attention: each passes the query mask on",
                                keras.Model(t, c))
    q, v = tokens("query_tokens"), tokens("value_tokens")
    eq, ev = embed(q, "query_embedding"), embed(v, "value_embedding")
    m = layers.Multiply(name="multiply")([eq, ev])
    x = layers.Maximum(name="maximum")([m, eq])
    unmasked = layers.Dense(4, name="unmasked")(layers.Reshape((5, 4), name="reshape")(eq))  # Reshape drops the mask
    k = layers.Concatenate(name="concatenate")([x, unmasked])
    cases["merge_masks"] = ("Multiply and Maximum of masked inputs (masked steps drop out, the masks are ORed), "
                            "Concatenate with an input whose mask Reshape dropped, then GroupQueryAttention",
                            keras.Model([q, v], layers.GroupQueryAttention(2, 2, 1, name="gqa")(k, k)))
    t = tokens()
    e = embed(t)
    # mha_first lies deeper than dense_after (two Dense follow it), so Keras runs it first (function.py runs nodes by
    # decreasing depth) and dense_after reads e after its mask was cleared.
    first = layers.Dense(3, name="head_1")(layers.Dense(4, name="post")(mha("mha_first")(e, e)))
    later = layers.Dense(4, name="dense_after")(e)
    second = mha("mha_second")(later, later)
    cases["mha_clears_shared_input"] = ("a Dense that reads x after MultiHeadAttention(x, x) ran sees no mask on x",
                                        keras.Model(t, [first, second]))
    return cases


def write_mask_cases(out):
    for index, (name, (description, model)) in enumerate(sorted(mask_cases().items())):
        seed = 1000 + index
        keras.utils.set_random_seed(seed)
        randomize(model, seed)
        rng = np.random.default_rng(seed)
        feeds = {}
        for i in model.inputs:
            data = rng.integers(1, 8, size=(2, 5)).astype("int32")
            data[0, 3:] = 0
            data[1, 1:] = 0
            feeds[i.name] = data
        write_case(model, feeds, os.path.join(out, name), seed, description)
        with open(os.path.join(out, name, "case.json")) as f:
            case = json.load(f)
        case["family"] = "masks"
        with open(os.path.join(out, name, "case.json"), "w") as f:
            json.dump(case, f, indent=1)
        print(f"wrote {name}", flush=True)


def parse_seeds(text):
    seeds = []
    for part in text.split(","):
        if "-" in part:
            lo, hi = part.split("-")
            seeds += range(int(lo), int(hi) + 1)
        else:
            seeds.append(int(part))
    return seeds


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    draw = sub.add_parser("draw", help="write one case folder per seed: OUT/seed-<n>")
    draw.add_argument("out")
    draw.add_argument("--seeds", default="0-19")
    shrink = sub.add_parser("shrink", help="shrink a failing seed to a small reproducer: OUT/shrunk-<seed>")
    shrink.add_argument("out")
    shrink.add_argument("--seed", type=int, required=True)
    shrink.add_argument("--check", required=True, help="command that fails on a failing case; {case} is its folder")
    for command in (draw, shrink):
        command.add_argument("--perturb", metavar="CLASS",
                             help="add 1 to the recorded outputs of CLASS layers: a failure on purpose, to test shrink")
    masks = sub.add_parser("masks", help="write the hand-made mask cases (Fixtures/golden/masks)")
    masks.add_argument("out")
    args = parser.parse_args()
    if args.command == "masks":
        write_mask_cases(args.out)
        return
    if args.command == "draw":
        for seed in parse_seeds(args.seeds):
            folder = os.path.join(args.out, f"seed-{seed}")
            try:
                draw_case(seed, folder, perturb=args.perturb)
                print(f"drawn {seed}", flush=True)
            except Exception as e:  # noqa: BLE001 - a draw Keras itself rejects is reported, not fatal
                shutil.rmtree(folder, ignore_errors=True)
                lines = [l for l in str(e).splitlines() if l.strip()]
                print(f"keras-rejected {seed}: {type(e).__name__}: {' '.join(lines[:2])[:240]}", flush=True)
        return
    folder = os.path.join(args.out, f"shrunk-{args.seed}")

    def fails(skip):
        try:
            draw_case(args.seed, folder, skip, args.perturb)
        except Exception:  # noqa: BLE001 - a variant Keras rejects does not reproduce
            return False
        return subprocess.run(args.check.format(case=folder), shell=True, capture_output=True).returncode != 0

    steps = draw_case(args.seed, folder, perturb=args.perturb)
    if not fails(()):
        print(f"seed {args.seed} does not fail the check")
        sys.exit(1)
    skip = []
    for k in range(steps):
        if fails(skip + [k]):
            skip.append(k)
    draw_case(args.seed, folder, skip, args.perturb)
    print(f"shrunk {args.seed}: skipped steps {skip} -> {folder}")


if __name__ == "__main__":
    main()
