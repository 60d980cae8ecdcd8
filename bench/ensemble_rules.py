"""Searches ensemble rules over the per-sample scores a run store already holds (issue 24's
after-the-fact analysis in BENCHMARKS.md, not a tuning step): every subset of the members below
under min and mean of (s − μ)/σ, μ and σ from the run's `evaluate --on-validation` measurement.
Prints, per run, the 8 rules best on the validation sets (ordered by their worst synthetic-set
AUROC) and the shipped rule, with the test measurement's AUROCs beside them.

Usage: python bench/ensemble_rules.py RUNS.sqlite NAME=RUN_ID [NAME=RUN_ID ...]
Each run needs an `evaluate` measurement on the test set with mnist-5k, uniform, gaussian,
constant and interp, and one `--on-validation` with the four synthetic sets (the newest such are used).
Prints the 8 best rules; `--top N` prints N. Needs numpy and scikit-learn.
"""
import itertools
import sqlite3
import sys

import numpy as np
from sklearn.metrics import roc_auc_score

MEMBERS = ["log-px", "complexity", "mahalanobis", "knn", "max-logit"]
SHIPPED = ["log-px", "complexity", "mahalanobis", "knn"]
SYNTHETIC = ["uniform", "gaussian", "constant", "interp"]
TEST_SETS = ["mnist-5k"] + SYNTHETIC


def samples(db, measurement):
    out = {}
    rows = db.execute("select dataset, score, sample_index, value from measurement_samples where measurement_id=?",
                      (measurement,))
    for dataset, score, index, value in rows:
        out.setdefault(dataset, {}).setdefault(score, {})[index] = value
    return {d: {s: np.array([v[i] for i in sorted(v)], float) for s, v in m.items()} for d, m in out.items()}


def auroc(inside, outside):
    inside, outside = (np.nan_to_num(a, nan=-1e30, neginf=-1e30) for a in (inside, outside))
    return roc_auc_score(np.r_[np.ones(len(inside)), np.zeros(len(outside))], np.r_[inside, outside])


def main():
    arguments = sys.argv[1:]
    top = 8
    if "--top" in arguments:
        at = arguments.index("--top")
        top = int(arguments[at + 1])
        del arguments[at:at + 2]
    db = sqlite3.connect(arguments[0])
    for pair in arguments[1:]:
        name, run = pair.split("=", 1)
        query = "select id from measurements where run_id=? and kind='evaluation' and in_dataset=? order by id desc"
        # The newest measurements that hold every set (a later, narrower one is skipped).
        validation = next(m for m in (samples(db, i) for (i,) in db.execute(query, (run, "validation")))
                          if all(d in m for d in SYNTHETIC))
        test = next(m for m in (samples(db, i) for (i,) in db.execute(query, (run, "test")))
                    if all(d in m for d in TEST_SETS))
        members = [s for s in MEMBERS if s in validation["validation"] and s in test["test"]]
        mean = {s: validation["validation"][s].mean() for s in members}
        spread = {s: validation["validation"][s].std() for s in members}
        results = []
        for size in range(1, len(members) + 1):
            for subset in itertools.combinations(members, size):
                for rule in ("min", "mean") if size > 1 else ("min",):
                    combine = np.min if rule == "min" else np.mean

                    def score(m, d, subset=subset, combine=combine):
                        return combine(np.stack([(m[d][s] - mean[s]) / spread[s] for s in subset]), 0)

                    v = {d: auroc(score(validation, "validation"), score(validation, d)) for d in SYNTHETIC}
                    t = {d: auroc(score(test, "test"), score(test, d)) for d in TEST_SETS}
                    results.append((rule, subset, v, t))
        print(f"== {name} ({run}), members {', '.join(members)}")

        def line(label, v, t):
            return (f"{label:50s} validation " + " ".join(f"{v[d]:.3f}" for d in SYNTHETIC)
                    + " | test " + " ".join(f"{d} {t[d]:.3f}" for d in TEST_SETS))

        for rule, subset, v, t in sorted(results, key=lambda r: -min(r[2].values()))[:top]:
            print(line(f"{rule} {'+'.join(subset)}", v, t))
        for rule, subset, v, t in results:
            if rule == "min" and list(subset) == [s for s in SHIPPED if s in members]:
                print(line("shipped: min " + "+".join(subset), v, t))


if __name__ == "__main__":
    main()
