#!/usr/bin/env python3
"""KerasPort's bridge to real Keras: the one Python implementation behind `kerasport reference`, `kerasport diff
--reference python` and golden-case generation. KerasPort itself never needs Python; only these commands do.

Two ways to run it:

    python kerasport_worker.py                 serve the worker protocol on stdin/stdout (used by KerasPort)
    python kerasport_worker.py make-case SPEC.py OUT_DIR [--family F] [--case NAME]
                                               build SPEC.py's model with random weights and write a golden case

The protocol (documented in Reference/README.md): one JSON object per line on stdin, one JSON reply per line on
stdout, in order. Arrays never travel in JSON: they are .npz files whose paths are given in the request. Every
reply has "ok"; failures carry "error" (and "missing" when a module cannot be imported). Anything Keras or its
backend prints goes to stderr, never into the protocol stream.

A make-case SPEC.py defines `build()` returning a built keras.Model and `inputs(rng)` returning a dict
{input_layer_name: numpy array}. Case folders have the layout of ../shared/golden (see its README).
"""
import argparse
import hashlib
import importlib
import importlib.util
import json
import os
import platform
import sys
import traceback

PROTOCOL_VERSION = 1
REQUIRED = ("numpy", "h5py", "keras")
BACKENDS = ("torch", "tensorflow", "jax")

np = None
keras = None


def import_keras():
    """Imports numpy, h5py and keras; returns the names of the modules that are missing."""
    global np, keras
    missing = []
    for name in REQUIRED:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    if missing:
        return missing
    import numpy
    import keras as keras_module
    np, keras = numpy, keras_module
    return []


def as_list(value):
    return list(value) if isinstance(value, (list, tuple)) else [value]


def input_names(model):
    """Input layer names, in model-input order."""
    names = []
    for tensor in model.inputs:
        history = getattr(tensor, "_keras_history", None)
        names.append(history[0].name if history else tensor.name)
    return names


def graph_of(model):
    """The functional graph of a model (a built Sequential keeps one internally)."""
    return getattr(model, "_functional", None) or model


def read_feed(model, path):
    """The .npz at path as a list in model-input order (see feed_from)."""
    with np.load(path) as archive:
        return feed_from(model, {key: archive[key] for key in archive.files})


def feed_from(model, arrays):
    """arrays as a list in model-input order (keys: input names, optionally prefixed 'in/', else by position)."""
    names = input_names(model)
    feed = []
    for position, name in enumerate(names):
        value = arrays.get(name, arrays.get(f"in/{name}"))
        if value is None and len(arrays) == len(names):  # named differently (e.g. a Sequential's input): by position
            value = list(arrays.values())[position]
        if value is None:
            raise KeyError(f"no array for model input '{name}' (keys: {', '.join(arrays)})")
        feed.append(value)
    return feed


# The in-process host (pythonnet) passes arrays through memory, not files: .NET pins its array and gives the address;
# numpy arrays go back as (array kept alive, address, byte count, dtype, shape) for .NET to copy out.
HOST_DTYPES = ("float32", "float64", "int32", "int64", "bool")


def array_from_address(address, nbytes, dtype, shape):
    import ctypes
    buffer = (ctypes.c_char * nbytes).from_address(address)
    return np.frombuffer(buffer, dtype=dtype).reshape(shape).copy()


def for_host(value):
    array = np.asarray(value)
    if array.dtype.name not in HOST_DTYPES:
        array = array.astype(np.int64 if np.issubdtype(array.dtype, np.integer) else np.float32)
    array = np.ascontiguousarray(array)
    return array, array.ctypes.data, array.nbytes, array.dtype.name, list(array.shape)


def predict(model, feed):
    batch = feed if len(feed) > 1 else feed[0]  # a Sequential (one input) wants the array itself
    return [np.asarray(v) for v in keras.tree.flatten(model.predict(batch, verbose=0))]  # dict outputs: sorted keys


class Call:
    """One call of a layer (or raw op) in a graph: io.npz name, output tensors, and input tensors (nested models)."""

    def __init__(self, layer, name, outputs, inputs):
        self.layer, self.name, self.outputs, self.inputs = layer, name, outputs, inputs


def node_filter(graph):
    """A predicate (layer, index in layer._inbound_nodes, node) -> bool saying whether that node belongs to the graph."""
    keys = getattr(graph, "_nodes", None)  # Keras 3: make_node_key strings ("<id(op)>_ib-<i>"); older: Node objects
    if keys is not None:
        if any(isinstance(k, str) for k in keys):
            return lambda layer, index, node: f"{id(layer)}_ib-{index}" in keys
        return lambda layer, index, node: node in keys
    keys = getattr(graph, "_network_nodes", None)  # Keras 2 / tf.keras: "<layer name>_ib-<i>"
    if keys is not None:
        return lambda layer, index, node: f"{layer.name}_ib-{index}" in keys
    return None


def layer_calls(model):
    """Every top-level call of a graph model, in graph order, named as io.npz names it; None when it has no graph."""
    graph = graph_of(model)
    belongs = node_filter(graph)
    if belongs is None or not hasattr(graph, "inputs"):
        return None
    calls = []
    for layer in getattr(graph, "operations", None) or graph.layers:  # Keras 3 functional graphs list raw ops too
        if isinstance(layer, keras.layers.InputLayer):
            continue
        nodes = [n for i, n in enumerate(layer._inbound_nodes) if belongs(layer, i, n)]
        for index, node in enumerate(nodes):
            name = layer.name if len(nodes) == 1 else f"{layer.name}@{index}"
            inputs = as_list(getattr(node, "input_tensors", None) or [])
            calls.append(Call(layer, name, as_list(node.outputs), inputs))
    return calls


def is_nested_model(layer):
    return isinstance(layer, keras.Model) and layer_calls(layer) is not None


def is_pipeline(layer):
    """keras.layers.Pipeline: a layer that calls its layers in turn, whose outputs io.npz lists as inner/."""
    return layer.__class__.__name__ == "Pipeline" and hasattr(layer, "layers")


def pipeline_outputs(pipeline, feed, prefix, result):
    value = feed[0]
    for layer in pipeline.layers:  # Pipeline.call: each layer on the previous one's output, at inference
        value = layer(value, training=False)
        result[f"{prefix}/{layer.name}/0"] = np.asarray(keras.ops.convert_to_numpy(value))


def evaluate(graph, tensors, feed):
    """The values of the graph's symbolic tensors on feed: one model for all; per tensor when that fails (the reason
    is returned for each tensor that cannot be had)."""
    if not tensors:
        return [], {}
    try:
        return predict(keras.Model(graph.inputs, tensors), feed), {}
    except Exception:  # one unreachable tensor spoils the joint model; find which
        values, failed = [], {}
        for i, tensor in enumerate(tensors):
            try:
                values.append(predict(keras.Model(graph.inputs, [tensor]), feed)[0])
            except Exception as error:
                values.append(None)
                failed[i] = f"{type(error).__name__}: {error}"
        return values, failed


def collect(model, feed, out_prefix, inner_prefix, result, not_compared):
    """Adds model's per-call outputs to result under out_prefix, nested models' under inner_prefix (recursively);
    returns the calls, or None when the model has no graph (subclassed)."""
    calls = layer_calls(model)
    if calls is None:
        return None
    nested = [c for c in calls if is_nested_model(c.layer) or is_pipeline(c.layer)]
    tensors = [t for c in calls for t in c.outputs] + [t for c in nested for t in c.inputs]
    values, failed = evaluate(graph_of(model), tensors, feed)
    position = 0
    for call in calls:
        reasons = [failed[position + k] for k in range(len(call.outputs)) if position + k in failed]
        if reasons:
            not_compared[f"{out_prefix}/{call.name}"] = reasons[0]
        else:
            for k in range(len(call.outputs)):
                result[f"{out_prefix}/{call.name}/{k}"] = values[position + k]
        position += len(call.outputs)
    for call in nested:
        inner_feed = values[position:position + len(call.inputs)]
        position += len(call.inputs)
        prefix = f"{inner_prefix}/{call.name}"
        if any(v is None for v in inner_feed):
            not_compared[prefix] = "the nested model's inputs cannot be had"
            continue
        try:
            if is_pipeline(call.layer):
                pipeline_outputs(call.layer, inner_feed, prefix, result)
            else:
                collect(call.layer, inner_feed, prefix, prefix, result, not_compared)
        except Exception as error:
            not_compared[prefix] = f"{type(error).__name__}: {error}"
    return calls


def sequential_eagerly(model, feed, result):
    """A Sequential without a graph (built without an input): each layer called on the previous one's output."""
    pipeline_outputs(model, feed, "out", result)


def layer_outputs(model, feed):
    """Every top-level layer call's outputs (nested models' too) and the model's outputs, keyed as io.npz keys them;
    returns (arrays, calls, not_compared) where not_compared maps a layer key to why Keras could not give its outputs."""
    result, not_compared = {}, {}
    calls = collect(model, feed, "out", "inner", result, not_compared)
    if calls is None:
        if isinstance(model, keras.Sequential):
            sequential_eagerly(model, feed, result)
        else:
            not_compared["*"] = f"{model.__class__.__name__} is a subclassed model: Keras keeps no layer graph for it"
    result.update({f"final/{k}": v for k, v in enumerate(predict(model, feed))})
    return result, calls or [], not_compared


def load_model(path, weights=None):
    """A .keras or full-model .h5 file, an unzipped .keras folder, or a JSON/YAML architecture (then weights is
    required: HDF5, or the index *.weights.json of sharded weights)."""
    head = b""
    if not os.path.isdir(path):
        with open(path, "rb") as f:
            head = f.read(8)
    if os.path.isdir(path) or head.startswith(b"PK") or head.startswith(b"\x89HDF"):
        model = keras.models.load_model(path, compile=False)
    else:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if not text.lstrip().startswith("{"):
            import yaml
            text = json.dumps(yaml.safe_load(text))
        model = keras.models.model_from_json(text)
    if weights:
        model.load_weights(weights)
    return model


def reproduces(path, feed, expected, load):
    try:
        got = predict(load(path), feed)
        return all(np.allclose(a, b, atol=1e-6) for a, b in zip(got, expected)), None
    except Exception as error:  # Keras cannot always reload its own files; the case records why.
        return False, f"{type(error).__name__}: {error}"


def write_case(model, feed, out, family="custom", case=None, seed=None, description=""):
    """Writes a golden case folder (../shared/golden layout) for model run on feed; returns the files written."""
    from keras.src.legacy.saving import legacy_h5_format
    import h5py
    os.makedirs(out, exist_ok=True)
    names = input_names(model)
    outputs, calls, not_compared = layer_outputs(model, feed)
    final = [outputs[f"final/{k}"] for k in range(sum(1 for key in outputs if key.startswith("final/")))]
    arrays = {f"in/{name}": np.asarray(value) for name, value in zip(names, feed)}
    arrays.update(outputs)
    np.savez(os.path.join(out, "io.npz"), **arrays)

    omitted = {}
    model.save(os.path.join(out, "model.keras"))
    model.save_weights(os.path.join(out, "model.weights.h5"))
    config = json.loads(model.to_json())
    with open(os.path.join(out, "model.json"), "w") as f:
        json.dump(config, f, indent=2)
    try:
        import yaml
        with open(os.path.join(out, "model.yaml"), "w") as f:
            yaml.safe_dump(config, f)
    except ImportError:
        omitted["model.yaml"] = "PyYAML is not installed"
    with h5py.File(os.path.join(out, "model.legacy-weights.h5"), "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, model)
    h5_path = os.path.join(out, "model.h5")
    try:
        model.save(h5_path)
        ok, why = reproduces(h5_path, feed, final, keras.models.load_model)
    except Exception as error:
        ok, why = False, f"{type(error).__name__}: {error}"
    if not ok:
        if os.path.exists(h5_path):
            os.remove(h5_path)
        omitted["model.h5"] = why or "reloaded model does not reproduce the outputs"

    layers = []
    for call in calls:
        layer, keys = call.layer, [f"out/{call.name}/{k}" for k in range(len(call.outputs))]
        is_op = not isinstance(layer, keras.layers.Layer)
        layers.append({"name": layer.name, "class_name": layer.__class__.__name__, "kind": "op" if is_op else "layer",
                       "output_keys": keys, "output_shapes": [list(arrays[k].shape) for k in keys if k in arrays],
                       "params": None if is_op else int(layer.count_params())})
    trainable = int(sum(int(np.prod(w.shape)) for w in model.trainable_weights))
    total = int(model.count_params())
    batch_shapes = [list(getattr(t, "shape", [])) for t in model.inputs]
    case_json = {
        "case": case or os.path.basename(os.path.abspath(out)), "family": family, "description": description,
        "keras_version": keras.__version__, "backend": keras.backend.backend(), "seed": seed,
        "inputs": [{"name": n, "key": f"in/{n}", "shape": list(np.shape(v)), "dtype": str(np.asarray(v).dtype),
                    "batch_shape": s} for n, v, s in zip(names, feed, batch_shapes)],
        "outputs": [{"key": f"final/{k}", "shape": list(np.shape(v)), "dtype": str(np.asarray(v).dtype)}
                    for k, v in enumerate(final)],
        "layers": layers,
        "not_compared": not_compared,
        "files": sorted(os.listdir(out) + ["case.json"]),
        "omitted": omitted,
        "tolerance": {"atol": 1e-05, "rtol": 0.0001},
        "model_class": model.__class__.__name__,
        "params": {"total": total, "trainable": trainable, "non_trainable": total - trainable},
    }
    with open(os.path.join(out, "case.json"), "w") as f:
        json.dump(case_json, f, indent=2)
    return case_json["files"]


class Worker:
    """Answers protocol requests; loaded models are kept by id for later requests."""

    def __init__(self):
        self.models = {}

    def hello(self, request):
        reply = {"protocol": PROTOCOL_VERSION, "python": sys.executable, "python_version": platform.python_version()}
        missing = import_keras()
        if missing:
            return dict(reply, ok=False, missing=missing,
                        error=f"cannot import {', '.join(missing)}: pip install keras numpy h5py and a backend "
                              f"({' or '.join(BACKENDS)})")
        return dict(reply, ok=True, keras_version=keras.__version__, backend=keras.backend.backend(),
                    numpy_version=np.__version__)

    def load(self, request):
        model = load_model(request["path"], request.get("weights"))
        model_id = f"m{len(self.models) + 1}"
        self.models[model_id] = model
        return {"ok": True, "model": model_id, "name": model.name, "class_name": model.__class__.__name__,
                "inputs": [{"name": n, "batch_shape": list(t.shape), "dtype": str(t.dtype)}
                           for n, t in zip(input_names(model), model.inputs)]}

    def predict(self, request):
        model = self.models[request["model"]]
        final = predict(model, read_feed(model, request["inputs"]))
        np.savez(request["output"], **{f"final/{k}": v for k, v in enumerate(final)})
        return {"ok": True, "keys": [f"final/{k}" for k in range(len(final))]}

    def layer_outputs(self, request):
        model = self.models[request["model"]]
        outputs, _, not_compared = layer_outputs(model, read_feed(model, request["inputs"]))
        np.savez(request["output"], **outputs)
        return {"ok": True, "keys": list(outputs), "not_compared": not_compared}

    def write_case(self, request):
        model = self.models[request["model"]]
        files = write_case(model, read_feed(model, request["inputs"]), request["dir"],
                           family=request.get("family") or "custom", case=request.get("case"),
                           description=request.get("description") or "")
        return {"ok": True, "files": files}

    def handle(self, request):
        op = request.get("op")
        if op != "hello" and keras is None:
            return {"ok": False, "error": "send 'hello' first (Keras is imported there)"}
        handler = {"hello": self.hello, "load": self.load, "predict": self.predict,
                   "layer_outputs": self.layer_outputs, "write_case": self.write_case}.get(op)
        if handler is None:
            return {"ok": False, "error": f"unknown op '{op}'"}
        return handler(request)


def hello_in_process():
    """The 'hello' answer for the in-process host (pythonnet), which calls this module's functions directly."""
    return Worker().hello({})


def serve():
    # The protocol owns the real stdout; everything else anyone prints (Keras, backends, C code) goes to stderr.
    protocol = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    worker = Worker()
    for line in sys.stdin:
        if not line.strip():
            continue
        request = {}
        try:
            request = json.loads(line)
            if request.get("op") == "quit":
                break
            reply = worker.handle(request)
        except Exception as error:
            traceback.print_exc(file=sys.stderr)
            reply = {"ok": False, "error": f"{type(error).__name__}: {error}"}
        reply["id"] = request.get("id")
        protocol.write(json.dumps(reply) + "\n")
        protocol.flush()


def make_case(argv):
    parser = argparse.ArgumentParser(prog="kerasport_worker.py make-case")
    parser.add_argument("spec")
    parser.add_argument("out")
    parser.add_argument("--family", default="custom")
    parser.add_argument("--case", default=None)
    args = parser.parse_args(argv)
    missing = import_keras()
    if missing:
        sys.exit(f"cannot import {', '.join(missing)}: pip install keras numpy h5py pyyaml and a backend "
                 f"({' or '.join(BACKENDS)})")
    name = args.case or os.path.splitext(os.path.basename(args.spec))[0]
    seed = int(hashlib.sha256(f"{args.family}/{name}".encode()).hexdigest()[:8], 16) % 100000
    keras.utils.set_random_seed(seed)
    module_spec = importlib.util.spec_from_file_location("golden_spec", args.spec)
    spec = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(spec)
    model = spec.build()
    rng = np.random.default_rng(seed)
    for weight in model.weights:  # random, not Keras' initializers, so every value is exercised
        weight.assign(rng.normal(size=weight.shape).astype(weight.dtype))
    feed_by_name = spec.inputs(rng)
    feed = [feed_by_name[n] for n in input_names(model)]
    write_case(model, feed, args.out, family=args.family, case=name, seed=seed, description=(spec.__doc__ or "").strip())


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "make-case":
        make_case(sys.argv[2:])
    else:
        serve()
