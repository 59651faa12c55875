"""Writes the .keras fixtures of the text and lookup layers (run with ../shared/keras3/run).

Keras runs TextVectorization and StringLookup with TensorFlow, which ../shared/keras3 lacks, so Keras cannot save
these models here. This script writes them in Keras 3.15.1's exact layout instead:

* the numeric tail (Embedding -> pooling -> Dense, or Dense) is a real Keras model, saved by Keras: its config and
  model.weights.h5 are Keras's own;
* the text layer's config is get_config() of keras/src/layers/preprocessing/{text_vectorization,string_lookup}.py
  for an adapted layer (vocabulary None, vocabulary_size set), and its vocabulary is the asset
  assets/layers/<key>/vocabulary.txt that index_lookup.py save_assets writes ("\\n".join(get_vocabulary()));
  TextVectorization also saves its inner _lookup_layer's asset and (empty) variable groups, as saving_lib.py walks it;
* io.npz holds the string input and the output real Keras computes on the token ids that the layers' docstrings
  publish for that input (text_vectorization.py: [["foo qux bar"], ["qux baz"]] -> [[4, 1, 3, 0], [1, 2, 0, 0]];
  string_lookup.py multi_hot: [["a","c","d","d"], ["d","z","b","z"]] -> [[0,1,0,1,1], [1,0,1,0,1]]).
"""
import json
import os
import zipfile

import h5py
import keras
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
FLOAT32 = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": None}


def tensor(layer, shape, dtype):
    return {"class_name": "__keras_tensor__", "config": {"shape": shape, "dtype": dtype, "keras_history": [layer, 0, 0]}}


def save(tail, name, text_layer, text_key, vocabulary, input_shape, text_out_shape, text_out_dtype, strings, ids):
    """Saves `tail` (a Keras model on the text layer's output) behind `text_layer` as Fixtures/text/<name>."""
    keras.utils.set_random_seed(7)
    tail.save("/tmp/text_fixture_tail.keras")
    with zipfile.ZipFile("/tmp/text_fixture_tail.keras") as z:
        config = json.loads(z.read("config.json"))
        metadata = z.read("metadata.json")
        weights = z.read("model.weights.h5")
    layers = config["config"]["layers"]
    tail_input = layers[0]["name"]
    text_input = {"module": "keras.layers", "class_name": "InputLayer",
                  "config": {"batch_shape": input_shape, "dtype": "string", "sparse": False, "ragged": False,
                             "name": "text", "optional": False},
                  "registered_name": None, "name": "text", "inbound_nodes": []}
    text_layer = dict(text_layer, inbound_nodes=[{"args": [tensor("text", input_shape, "string")], "kwargs": {}}])
    for layer in layers[1:]:
        for node in layer["inbound_nodes"]:
            for arg in node["args"]:
                if isinstance(arg, dict) and arg["config"]["keras_history"][0] == tail_input:
                    arg["config"] = tensor(text_layer["name"], text_out_shape, text_out_dtype)["config"]
    config["config"]["layers"] = [text_input, text_layer] + layers[1:]
    config["config"]["input_layers"] = [["text", 0, 0]]

    # model.weights.h5: Keras's own file, plus the text layer's (empty) variable groups.
    with open("/tmp/text_fixture_weights.h5", "wb") as f:
        f.write(weights)
    with h5py.File("/tmp/text_fixture_weights.h5", "a") as f:
        own = f.create_group(f"layers/{text_key}/vars")
        own.attrs["name"] = text_layer["name"]
        if text_layer["class_name"] == "TextVectorization":
            f.create_group(f"layers/{text_key}/_lookup_layer/vars").attrs["name"] = "string_lookup"
    with open("/tmp/text_fixture_weights.h5", "rb") as f:
        weights = f.read()

    asset = "\n".join(vocabulary)
    out = os.path.join(HERE, name)
    os.makedirs(out, exist_ok=True)
    with zipfile.ZipFile(os.path.join(out, "model.keras"), "w") as z:
        z.writestr("metadata.json", metadata)
        z.writestr("config.json", json.dumps(config))
        z.writestr("model.weights.h5", weights)
        z.writestr(f"assets/layers/{text_key}/vocabulary.txt", asset)
        if text_layer["class_name"] == "TextVectorization":
            z.writestr(f"assets/layers/{text_key}/_lookup_layer/vocabulary.txt", asset)
    expected = keras.ops.convert_to_numpy(tail(np.array(ids)))
    np.savez(os.path.join(out, "io.npz"), text=np.array(strings), ids=np.array(ids), output=expected)
    print(name, expected)


# TextVectorization adapted on ["foo bar", "bar baz", "baz bada boom"] (text_vectorization.py docstring).
ids_in = keras.Input((4,), dtype="int64", name="ids")
x = keras.layers.Embedding(7, 3, name="embedding")(ids_in)
x = keras.layers.GlobalAveragePooling1D(name="pool")(x)
tail = keras.Model(ids_in, keras.layers.Dense(2, name="dense")(x), name="text_classifier")
vectorize = {
    "module": "keras.layers", "class_name": "TextVectorization",
    "config": {"name": "text_vectorization", "trainable": True, "dtype": FLOAT32, "max_tokens": 5000,
               "standardize": "lower_and_strip_punctuation", "split": "whitespace", "ngrams": None,
               "output_mode": "int", "output_sequence_length": 4, "pad_to_max_tokens": False, "sparse": False,
               "ragged": False, "vocabulary": None, "idf_weights": None, "encoding": "utf-8", "vocabulary_size": 7},
    "registered_name": None, "build_config": {"input_shape": [None, 1]}, "name": "text_vectorization"}
save(tail, "text_vectorization_adapted", vectorize, "text_vectorization",
     ["", "[UNK]", "baz", "bar", "foo", "boom", "bada"], [None, 1], [None, 4], "int64",
     [["foo qux bar"], ["qux baz"]], [[4, 1, 3, 0], [1, 2, 0, 0]])

# StringLookup, multi_hot, vocabulary ["a", "b", "c", "d"] from adapt (string_lookup.py docstring).
hot_in = keras.Input((5,), name="hot")
tail = keras.Model(hot_in, keras.layers.Dense(2, name="dense")(hot_in), name="lookup_classifier")
lookup = {
    "module": "keras.layers", "class_name": "StringLookup",
    "config": {"name": "string_lookup", "trainable": True, "dtype": FLOAT32, "invert": False, "max_tokens": None,
               "num_oov_indices": 1, "oov_token": "[UNK]", "mask_token": None, "output_mode": "multi_hot",
               "sparse": False, "pad_to_max_tokens": False, "idf_weights": None, "vocabulary": None,
               "vocabulary_size": 5, "oov_method": "floormod", "salt": None, "encoding": "utf-8"},
    "registered_name": None, "build_config": {"input_shape": [None, 4]}, "name": "string_lookup"}
save(tail, "string_lookup_multi_hot", lookup, "string_lookup", ["[UNK]", "a", "b", "c", "d"], [None, 4], [None, 5],
     "float32", [["a", "c", "d", "d"], ["d", "z", "b", "z"]], [[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]])
