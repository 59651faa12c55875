"""Trains tiny SentencePiece models with the real `sentencepiece` package (the one keras-hub's SentencePieceTokenizer
runs) and records what it does with them: `python sentencepiece_case.py OUTDIR` writes OUTDIR/<name>.spm and
OUTDIR/cases.json (per model: the probes' ids with and without bos/eos, their pieces, and Decode of ids)."""
import io
import json
import os
import random
import sys

import sentencepiece as spm

CORPUS = [
    "the quick brown fox jumps over the lazy dog",
    "a journey of a thousand miles begins with a single step",
    "café naïve résumé über straße",
    "to be or not to be that is the question",
    "all that glitters is not gold",
] * 20

MODELS = {
    "bpe_byte_fallback": dict(model_type="bpe", vocab_size=330, byte_fallback=True, normalization_rule_name="identity",
                              user_defined_symbols=["<start_of_turn>"], pad_id=0, eos_id=1, bos_id=2, unk_id=3),
    "unigram_nfkc": dict(model_type="unigram", vocab_size=90, normalization_rule_name="nmt_nfkc"),
    "unigram_keep_spaces": dict(model_type="unigram", vocab_size=90, normalization_rule_name="identity",
                                remove_extra_whitespaces=False),
}

PROBES = ["the quick brown fox", "Hello, World!", "  two  spaces\tand a tab ", "日本語 and emoji 🙂",
          "ｆｕｌｌ ｗｉｄｔｈ", "xyzzy QWERTY", "<start_of_turn>user", "hi  <start_of_turn> model<start_of_turn>", "straße über", ""]

out = sys.argv[1]
cases = {}
for name, options in MODELS.items():
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(sentence_iterator=iter(CORPUS), model_writer=model, hard_vocab_limit=False,
                                   character_coverage=1.0, **options)
    with open(os.path.join(out, name + ".spm"), "wb") as f:
        f.write(model.getvalue())
    sp = spm.SentencePieceProcessor(model_proto=model.getvalue())
    rng = random.Random(0)
    id_probes = [[rng.randrange(sp.vocab_size()) for _ in range(rng.randrange(1, 9))] for _ in range(40)]
    cases[name] = {
        "probes": PROBES,
        "ids": [sp.Encode(p) for p in PROBES],
        "ids_bos_eos": [sp.Encode(p, add_bos=True, add_eos=True) for p in PROBES],
        "pieces": [[sp.IdToPiece(i) for i in sp.Encode(p)] for p in PROBES],
        "decoded": [sp.Decode(sp.Encode(p)) for p in PROBES],
        "id_probes": id_probes,
        "id_probes_decoded": [sp.Decode(ids) for ids in id_probes],
    }
with open(os.path.join(out, "cases.json"), "w") as f:
    json.dump(cases, f, ensure_ascii=False)
