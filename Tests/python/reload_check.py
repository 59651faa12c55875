"""Reloads model files in real Keras and runs them, so tests can compare Keras with KerasPort.

Usage: run reload_check.py JOBS.json

JOBS.json is a list of jobs, all done in this one Python start (each start imports torch):
  {"id": "...", "model": "m.keras" | "m.h5" | "m.json", "weights": "w.h5" (with model.json only),
   "inputs": "in.npz", "outputs": "out.npz", "train": false, "targets": "y.npz" (optional)}
in.npz holds the model inputs as "0", "1", ... in model.inputs order. The model's outputs, flattened in
model.outputs order (dict outputs: sorted keys), are written to out.npz as "0", "1", ...
With "train", the loaded model (compiled from its compile_config, else with sgd/mse) fits one step on the inputs
against targets ("0", "1", ... in y.npz, else its own outputs); the job reports the optimizer's iterations before and
after. One JSON line per job goes to stdout: {"id", "ok", "error", "iterations_before", "iterations_after"}.
A failing job never stops the others.
"""

import json
import sys
import traceback

import numpy as np

import keras


def load(job):
    path = job["model"]
    if path.endswith(".json"):
        with open(path) as f:
            model = keras.models.model_from_json(f.read())
        model.load_weights(job["weights"])
        return model
    return keras.saving.load_model(path)


def arrays(path):
    with np.load(path) as npz:
        return [npz[str(i)] for i in range(len(npz.files))]


def call(model, inputs):
    outputs = model(inputs[0] if len(inputs) == 1 else inputs, training=False)
    return [keras.ops.convert_to_numpy(o) for o in keras.tree.flatten(outputs)]


def run(job):
    result = {"id": job["id"], "ok": False}
    model = load(job)
    inputs = arrays(job["inputs"])
    outputs = call(model, inputs)
    np.savez(job["outputs"], **{str(i): o for i, o in enumerate(outputs)})
    if job.get("train"):
        if not model.compiled:
            model.compile(optimizer="sgd", loss="mse")
        targets = arrays(job["targets"]) if job.get("targets") else outputs
        x = inputs[0] if len(inputs) == 1 else inputs
        y = targets[0] if len(targets) == 1 else targets
        result["iterations_before"] = int(keras.ops.convert_to_numpy(model.optimizer.iterations))
        model.fit(x, y, batch_size=len(inputs[0]), epochs=1, verbose=0)
        result["iterations_after"] = int(keras.ops.convert_to_numpy(model.optimizer.iterations))
    result["ok"] = True
    return result


def main():
    with open(sys.argv[1]) as f:
        jobs = json.load(f)
    for job in jobs:
        try:
            result = run(job)
        except Exception as e:  # one job's failure is its report, not the end of the run
            lines = traceback.format_exception_only(type(e), e)
            text = " ".join(l.strip() for l in lines)
            # Keras nests the innermost cause at the end of long messages.
            result = {"id": job["id"], "ok": False, "error": text if len(text) <= 2400 else text[:800] + " ... " + text[-1600:]}
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
