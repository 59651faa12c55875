"""Builds the hostile HDF5 files of issue 19 from the committed golden case core/embedding.

Each hostile file replaces the bias of layer 'dense' (a float32 vector of 3) in model.h5 and in the model.weights.h5 of
model.keras with one construct that would make an HDF5 reader touch something outside the file, loop, or decode
with a filter KerasPort does not know. The outside files live under SECRET_DIR; the tests write them (secret.bin
holds the raw bytes of SECRET, secret.h5 holds SECRET as the float32 dataset /data) and check that no byte of them
reaches a tensor. soft_link_inside.h5 is the control: a soft link that stays in its group loads.

The sharded_*.weights.json files are hostile versions of the index of the committed golden case
keras3/sharded_weights (model.weights.json): shard names that leave the folder, a missing shard, a weight in two
shards (the test writes model_00003.weights.h5 as a copy of model_00000), weights the index does not list where they
are, a listed group no shard holds, a key twice, a name that is no string. The tests copy the case's shards beside them.

Run from the repository root with a python3 that has h5py (python3-h5py, or ../shared/keras3/run):
    python3 Tests/Hardening/hostile/make_hostile.py
"""
import io
import json
import os
import shutil
import struct
import tempfile
import zipfile

import h5py
import numpy as np

CASE = "Fixtures/golden/core/embedding"
OUT = "Tests/Hardening/hostile"
SEEDS = "tools/fuzz/seeds"  # the AFL++ targets start from the same files (model: .h5 and .keras; weights: the .keras's weights)
SECRET_DIR = "/tmp/kerasport-hostile-19"
SECRET = np.array([1234.5, -777.25, 4242.0], dtype="<f4")


def external_storage(group, name):
    group.create_dataset(name, shape=(3,), dtype="<f4", external=[(f"{SECRET_DIR}/secret.bin", 0, SECRET.nbytes)])


def virtual_dataset(group, name):
    layout = h5py.VirtualLayout(shape=(3,), dtype="<f4")
    layout[:] = h5py.VirtualSource(f"{SECRET_DIR}/secret.h5", "data", shape=(3,))
    group.create_virtual_dataset(name, layout)


def external_link(group, name):
    group[name] = h5py.ExternalLink(f"{SECRET_DIR}/secret.h5", "/data")


def soft_link_out(group, name):
    # The target is inside the file but outside the group that holds the weights.
    group.file.create_dataset("stash", data=SECRET)
    group[name] = h5py.SoftLink("/stash")


def soft_link_loop(group, name):
    group[name] = h5py.SoftLink(f"{group.name}/{name}_again")
    group[f"{name}_again"] = h5py.SoftLink(f"{group.name}/{name}")


def unknown_filter(group, name):
    # 32004 is LZ4, registered with the HDF Group but not a filter KerasPort reads.
    group.create_dataset(name, data=SECRET, chunks=(3,), compression=32004, allow_unknown_filter=True)


def hard_link_cycle(group, name):
    group.create_dataset(name, data=np.zeros(3, dtype="<f4"))
    group["cycle"] = group.parent


def soft_link_inside(group, name):
    # Allowed: the link stays in the layer's group and ends at a dataset (the original bias, moved).
    group.file.move(f"{group.name}/{name}", f"{group.name}/{name}_data")
    group[name] = h5py.SoftLink(f"{group.name}/{name}_data")


CONSTRUCTS = [external_storage, virtual_dataset, external_link, soft_link_out, soft_link_loop, unknown_filter, hard_link_cycle]


def header_continuation_loop(path, group_path):
    """Points the continuation message of a group's (version 1) object header back at the header's own messages: a
    reader that follows continuations by recursion, as PureHDF does, never ends (it overflowed the stack)."""
    with h5py.File(path, "r") as f:
        address = h5py.h5o.get_info(f[group_path].id).addr
    with open(path, "r+b") as f:
        data = bytearray(f.read())
        assert data[address] == 1, "expected a version 1 object header"
        size = struct.unpack_from("<I", data, address + 8)[0]
        start = position = address + 16  # version, reserved, message count, reference count, size, padding
        while position < start + size:
            kind, length = struct.unpack_from("<HH", data, position)
            if kind == 0x10:  # continuation: offset and length of the block that holds more messages
                struct.pack_into("<QQ", data, position + 8, start, size)
                f.seek(0)
                f.write(data)
                return
            position += 8 + length
    raise AssertionError(f"{group_path} in {path} has no continuation message")


# Corrupt structures, made by patching bytes: a reader must refuse them, not loop or overflow its stack.
STRUCTURES = [header_continuation_loop]


def rewrite(path, group_path, name, construct):
    with h5py.File(path, "r+", libver="latest") as f:
        group = f[group_path]
        if construct is external_link:
            group = fresh_group(f, group_path)
        if construct is not soft_link_inside:
            del group[name]
        construct(group, name)


def fresh_group(f, group_path):
    """Rebuilds a group as a new-style one. Adding an external link to an old-style group converts it, but its parent
    keeps the old symbol table cached, which PureHDF reads: the link would be invisible to it, not followed."""
    f.move(group_path, group_path + "_old")
    old = f[group_path + "_old"]
    new = old.parent.create_group(group_path.rsplit("/", 1)[-1])
    for key, value in old.attrs.items():
        new.attrs[key] = value
    for key in old:
        new[key] = old[key]
    del f[group_path + "_old"]
    return new


SHARDED_INDEX = "Fixtures/golden/keras3/sharded_weights/model.weights.json"


def sharded_indexes():
    with open(SHARDED_INDEX) as f:
        original = json.load(f)

    def write(name, change):
        index = json.loads(json.dumps(original))
        change(index["weight_map"])
        with open(f"{OUT}/sharded_{name}.weights.json", "w") as f:
            f.write(json.dumps(index, indent=4) + "\n")

    write("parent", lambda m: m.__setitem__("/layers/dense/vars", ["../secret/model_00000.weights.h5"]))
    write("absolute", lambda m: m.__setitem__("/layers/dense/vars", [f"{SECRET_DIR}/secret.h5"]))
    write("missing_shard", lambda m: m.__setitem__("/layers/dense_4/vars", ["model_00009.weights.h5"]))
    write("weight_twice", lambda m: m.__setitem__("/layers/dense/vars", ["model_00000.weights.h5", "model_00003.weights.h5"]))
    write("split_group_listed_once", lambda m: m.__setitem__("/layers/dense_1/vars", ["model_00001.weights.h5"]))
    write("group_missing", lambda m: m.pop("/layers/dense_4/vars"))
    write("group_in_no_shard", lambda m: m.__setitem__("/layers/dense_9/vars", ["model_00000.weights.h5"]))
    write("not_a_name", lambda m: m.__setitem__("/layers/dense/vars", [7]))
    # json.dumps cannot repeat a key: rename one in the text.
    with open(f"{OUT}/sharded_key_twice.weights.json", "w") as f:
        f.write(json.dumps(original, indent=4).replace('"/layers/dense_1/vars"', '"/layers/dense/vars"') + "\n")


def write_pair(scratch, name, change_h5, change_weights):
    """Writes OUT/name.h5 (the case's model.h5 changed by change_h5) and OUT/name.keras (its model.keras with the
    weights file changed by change_weights), and copies both, and the weights file, to the fuzz seeds."""
    h5 = f"{OUT}/{name}.h5"
    shutil.copyfile(f"{CASE}/model.h5", h5)
    change_h5(h5)

    weights = os.path.join(scratch, "model.weights.h5")
    with zipfile.ZipFile(f"{CASE}/model.keras") as source:
        entries = {n: source.read(n) for n in source.namelist()}
    with open(weights, "wb") as w:
        w.write(entries["model.weights.h5"])
    change_weights(weights)
    with open(weights, "rb") as w:
        entries["model.weights.h5"] = w.read()
    with zipfile.ZipFile(f"{OUT}/{name}.keras", "w", zipfile.ZIP_DEFLATED) as target:
        for n, data in entries.items():
            target.writestr(n, data)

    for extension in ("h5", "keras"):
        shutil.copyfile(f"{OUT}/{name}.{extension}", f"{SEEDS}/model/hostile-{name}.{extension}")
    shutil.copyfile(weights, f"{SEEDS}/weights/hostile-{name}.weights.h5")


def main():
    sharded_indexes()
    # A full-model .h5 only: in a Keras 3 weights file every dataset under vars/ is a weight, the moved one too.
    shutil.copyfile(f"{CASE}/model.h5", f"{OUT}/soft_link_inside.h5")
    rewrite(f"{OUT}/soft_link_inside.h5", "model_weights/dense/dense", "bias", soft_link_inside)
    with tempfile.TemporaryDirectory() as scratch:
        for construct in CONSTRUCTS:
            write_pair(scratch, construct.__name__,
                       lambda h5: rewrite(h5, "model_weights/dense/dense", "bias", construct),
                       lambda weights: rewrite(weights, "layers/dense/vars", "1", construct))
        for structure in STRUCTURES:
            write_pair(scratch, structure.__name__,
                       lambda h5: structure(h5, "model_weights/dense"),
                       lambda weights: structure(weights, "layers/dense/vars"))


if __name__ == "__main__":
    main()
