#!/usr/bin/env python3
"""Adds to Fixtures/golden the smallest golden cases that cover every layer class and keras.ops node not yet covered,
and every file format of `kerasport verify` (the unzipped .keras folder model/, sharded weights) not yet covered.

    python3 Fixtures/add-cases.py [GOLDEN]     (GOLDEN defaults to ../shared/golden)

Candidates are the cases that Tests/parity-ledger.txt requires to pass in every format they ship, so each one added is
a hard test in a fresh clone. Cases already in Fixtures/golden stay (tests name some of them). Classes are read from
each case's model.json the way KerasPort keys its layer registry: a keras.layers class by name, a keras.ops node as
"ops.<Name>". Also copies app_configs/*/model.json (+ case.json) for `kerasport bench --builtin`, minified: the same
Keras config, less than half the size of the pretty-printed file. Needs only the Python standard library.
"""
import json
import os
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Fixtures", "golden")
FORMATS = {"keras": ["model.keras"], "h5": ["model.h5"], "json": ["model.json", "model.weights.h5"],
           "legacy": ["model.json", "model.legacy-weights.h5"], "yaml": ["model.yaml", "model.weights.h5"],
           "architecture": ["model.json"], "keras-dir": ["model/config.json", "model/model.weights.h5"],
           "sharded": ["model.json", "model.weights.json"]}


def registry_keys(node, keys):
    """Collects the registry keys of every layer and op node in a Keras config, nested ones included."""
    if isinstance(node, dict):
        module, name = node.get("module") or "", node.get("class_name")
        if name and module.startswith(("keras.src.ops", "keras.ops")):
            keys.add("ops." + name)
        elif name and module.startswith(("keras.layers", "keras.src.layers")):
            keys.add(name)
        for value in node.values():
            registry_keys(value, keys)
    elif isinstance(node, list):
        for value in node:
            registry_keys(value, keys)
    return keys


def case_dirs(golden):
    for family in sorted(os.listdir(golden)):
        if family == "app_configs" or not os.path.isdir(os.path.join(golden, family)):
            continue
        for case in sorted(os.listdir(os.path.join(golden, family))):
            directory = os.path.join(golden, family, case)
            if os.path.isfile(os.path.join(directory, "io.npz")) and os.path.isfile(os.path.join(directory, "model.json")):
                yield f"{family}/{case}", directory


def main():
    golden = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "golden"))
    with open(os.path.join(ROOT, "Tests", "parity-ledger.txt")) as ledger:
        passing = {tuple(line.split()[1:3]) for line in ledger if line.startswith("pass ")}
    candidates = {}
    for case_id, directory in case_dirs(golden):
        present = [f for f, files in FORMATS.items() if all(os.path.isfile(os.path.join(directory, x)) for x in files)]
        if all((case_id, f) in passing for f in present):
            with open(os.path.join(directory, "model.json")) as config:
                keys = registry_keys(json.load(config), set())
            size = sum(os.path.getsize(os.path.join(root, f)) for root, _, files in os.walk(directory) for f in files)
            candidates[case_id] = (keys, size, present)

    covered, formats = set(), set()
    for case_id, directory in case_dirs(FIXTURES):
        with open(os.path.join(directory, "model.json")) as config:
            covered |= registry_keys(json.load(config), set())
        formats |= {f for f, files in FORMATS.items() if all(os.path.isfile(os.path.join(directory, x)) for x in files)}

    def add(case_id):
        keys, size, present = candidates.pop(case_id)
        covered.update(keys)
        formats.update(present)
        shutil.copytree(os.path.join(golden, case_id), os.path.join(FIXTURES, case_id))
        print(f"added {case_id} ({size} bytes)")

    while True:
        # Greedy weighted set cover: the case with the fewest bytes per newly covered class.
        gains = [(size / len(keys - covered), case_id) for case_id, (keys, size, _) in candidates.items() if keys - covered]
        if not gains:
            break
        add(min(gains)[1])
    for name in FORMATS:
        shipping = [(size, case_id) for case_id, (_, size, present) in candidates.items() if name in present]
        if name not in formats and shipping:
            add(min(shipping)[1])

    for name in sorted(os.listdir(os.path.join(golden, "app_configs"))):
        source, target = os.path.join(golden, "app_configs", name), os.path.join(FIXTURES, "app_configs", name)
        os.makedirs(target, exist_ok=True)
        shutil.copyfile(os.path.join(source, "case.json"), os.path.join(target, "case.json"))
        with open(os.path.join(source, "model.json")) as config, open(os.path.join(target, "model.json"), "w") as out:
            json.dump(json.load(config), out, separators=(",", ":"))
        print(f"copied app_configs/{name}")


if __name__ == "__main__":
    main()
