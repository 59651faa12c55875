#!/usr/bin/env python3
"""Make a golden case for KerasPort with real Keras 3 (needs Python with keras and numpy; KerasPort never does).

Usage:
    python make_golden_case.py SPEC.py OUT_DIR [--family FAMILY] [--case NAME]

SPEC.py defines `build()` returning a built keras.Model and `inputs(rng)` returning a dict
{input_layer_name: numpy array}. The case folder gets the layout of ../shared/golden (see its README):
model.keras, model.h5 (only if Keras reloads it and reproduces the outputs), model.json, model.yaml,
model.weights.h5, model.legacy-weights.h5, io.npz and case.json. Per-layer outputs cover top-level layers
called once (`out/<layer>/<k>`) and, for shared layers, each call (`out/<layer>@<node>/<k>`).
"""
import argparse
import hashlib
import importlib.util
import json
import os

import numpy as np
import yaml
import keras
from keras.src.legacy.saving import legacy_h5_format


def load_spec(path):
    spec = importlib.util.spec_from_file_location("golden_spec", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def layer_outputs(model, feed):
    """Every top-level layer call's outputs, keyed as io.npz keys them."""
    result = {}
    for layer in model.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        nodes = [n for n in layer._inbound_nodes if n in model._nodes] if hasattr(model, "_nodes") else layer._inbound_nodes
        for index, node in enumerate(nodes):
            probe = keras.Model(model.inputs, node.outputs)
            outputs = probe.predict(feed, verbose=0)
            outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
            name = layer.name if len(nodes) == 1 else f"{layer.name}@{index}"
            for k, value in enumerate(outputs):
                result[f"out/{name}/{k}"] = np.asarray(value)
    return result


def reproduces(model, path, feed, expected, load):
    try:
        reloaded = load(path)
        got = reloaded.predict(feed, verbose=0)
        got = got if isinstance(got, (list, tuple)) else [got]
        return all(np.allclose(a, b, atol=1e-6) for a, b in zip(got, expected)), None
    except Exception as error:  # Keras cannot always reload its own files; the case records why.
        return False, f"{type(error).__name__}: {error}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("spec")
    parser.add_argument("out")
    parser.add_argument("--family", default="custom")
    parser.add_argument("--case", default=None)
    args = parser.parse_args()
    name = args.case or os.path.splitext(os.path.basename(args.spec))[0]
    seed = int(hashlib.sha256(f"{args.family}/{name}".encode()).hexdigest()[:8], 16) % 100000
    keras.utils.set_random_seed(seed)
    spec = load_spec(args.spec)
    model = spec.build()
    rng = np.random.default_rng(seed)
    for weight in model.weights:  # random, not Keras' initializers, so every value is exercised
        weight.assign(rng.normal(size=weight.shape).astype(weight.dtype))
    feed = spec.inputs(rng)
    os.makedirs(args.out, exist_ok=True)
    final = model.predict(feed, verbose=0)
    final = final if isinstance(final, (list, tuple)) else [final]

    arrays = {f"in/{k}": np.asarray(v) for k, v in feed.items()}
    arrays.update(layer_outputs(model, feed))
    arrays.update({f"final/{k}": np.asarray(v) for k, v in enumerate(final)})
    np.savez(os.path.join(args.out, "io.npz"), **arrays)

    omitted = {}
    model.save(os.path.join(args.out, "model.keras"))
    model.save_weights(os.path.join(args.out, "model.weights.h5"))
    with open(os.path.join(args.out, "model.json"), "w") as f:
        json.dump(json.loads(model.to_json()), f, indent=2)
    with open(os.path.join(args.out, "model.yaml"), "w") as f:
        yaml.safe_dump(json.loads(model.to_json()), f)
    import h5py
    with h5py.File(os.path.join(args.out, "model.legacy-weights.h5"), "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, model)
    h5_path = os.path.join(args.out, "model.h5")
    model.save(h5_path)
    ok, why = reproduces(model, h5_path, feed, final, keras.models.load_model)
    if not ok:
        os.remove(h5_path)
        omitted["model.h5"] = why or "reloaded model does not reproduce the outputs"

    layers = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        keys = sorted(k for k in arrays if k.startswith(f"out/{layer.name}/") or k.startswith(f"out/{layer.name}@"))
        layers.append({"name": layer.name, "class_name": layer.__class__.__name__, "kind": "layer",
                       "output_keys": keys, "output_shapes": [list(arrays[k].shape) for k in keys],
                       "params": int(layer.count_params())})
    trainable = int(sum(np.prod(w.shape) for w in model.trainable_weights))
    total = int(model.count_params())
    case = {
        "case": name, "family": args.family, "keras_version": keras.__version__, "backend": keras.backend.backend(),
        "seed": seed,
        "inputs": [{"name": k, "key": f"in/{k}", "shape": list(np.shape(v)), "dtype": str(np.asarray(v).dtype)} for k, v in feed.items()],
        "outputs": [{"key": f"final/{k}", "shape": list(np.shape(v)), "dtype": str(np.asarray(v).dtype)} for k, v in enumerate(final)],
        "layers": layers,
        "files": sorted(os.listdir(args.out) + ["case.json"]),
        "omitted": omitted,
        "tolerance": {"atol": 1e-05, "rtol": 0.0001},
        "model_class": model.__class__.__name__,
        "params": {"total": total, "trainable": trainable, "non_trainable": total - trainable},
    }
    with open(os.path.join(args.out, "case.json"), "w") as f:
        json.dump(case, f, indent=2)


if __name__ == "__main__":
    main()
