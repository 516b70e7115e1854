"""Grid search vs TPE with pruning, side by side on one small generated dataset and one space.

Both searches train the same model for the same epochs on the same pages. Reported per search:
best validation accuracy found (and the test accuracy of that trial), epochs trained, seconds of
training (sum of epoch times) and of trial processes, and the TPE/grid ratios. The goal: TPE
with pruning within 1 point of the grid's best for at most a third of the grid's compute.

Compute is counted in epochs actually trained. A pruned trial trains one epoch past the one it
was pruned on (it sees the stop file only after that epoch), so "epochs reported" (what Optuna
saw) is shown as well.

    python benchmarks/bench_tune.py                           # ~6 min on 2 cores
    python benchmarks/bench_tune.py --reuse-grid --tpe-seeds 1 2 3   # TPE again, same grid results
    python benchmarks/bench_tune.py --per-class 150 --epochs 15 --tpe-trials 10 --n-jobs 2
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import time
from pathlib import Path
from typing import Any

from docclf.config import GenerateConfig, build_config
from docclf.tune import TuneConfig, run_search


def ensure_data(data_dir: str | None, work: Path, per_class: int) -> str:
    if data_dir:
        return data_dir
    out = work / f"data-{per_class}"
    if not (out / "dataset.json").is_file():
        from docclf.synth import generate_dataset

        generate_dataset(build_config(GenerateConfig, cli_values=dict(
            output_dir=str(out), num_per_class=per_class, min_size=240, max_size=600, seed=7, overwrite=True)),
            progress=False)
    return str(out)


def search(strategy: str, args: argparse.Namespace, data_dir: str, work: Path, seed: int,
           **extra: Any) -> dict[str, Any]:
    cfg = build_config(TuneConfig, None, dict(
        search_strategy=strategy, data_dir=data_dir, epochs=args.epochs, models=[args.model],
        lrs=args.lrs, batch_sizes=args.batch_sizes, image_sizes=[args.image_size], metric="val_accuracy",
        n_jobs=args.n_jobs, threads=args.threads, storage=f"sqlite:///{work}/optuna.db",
        study_name=f"bench-{strategy}-{time.time():.0f}",
        mlflow_experiment="bench-tune", tracking_uri=f"sqlite:///{work}/mlflow.db", cache_dir=str(work / "cache"),
        output=str(work / f"{strategy}-{seed}.json"), seed=seed,
        train_args=["--pretrained", "off", "--no-log-model", "--patience", "0"], **extra))
    start = time.perf_counter()
    result = run_search(cfg)
    if result.interrupted:
        raise SystemExit(f"{strategy} search interrupted; partial results in {result.output}")
    result.report["wall_seconds"] = time.perf_counter() - start
    return result.report


def summary(report: dict[str, Any]) -> dict[str, Any]:
    trials = report["trials"]
    best = report["best"] or {}
    reported = sum(min(t["epochs_run"] or 0, t["pruned_at_epoch"] or t["epochs_run"] or 0) for t in trials)
    return {
        "trials": len(trials),
        "repeated draws reused": sum(t.get("duplicate_of") is not None for t in trials),
        "complete / pruned / failed": "{} / {} / {}".format(
            *(report["counts"].get(s, 0) for s in ("COMPLETE", "PRUNED", "FAIL"))),
        "best val_accuracy": best.get("value"),
        "test accuracy of best": (best.get("metrics") or {}).get("test_accuracy"),
        "best params": " ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
                                for k, v in (best.get("params") or {}).items() if k in ("lr", "batch_size")),
        "epochs trained": report["compute"]["epochs"],
        "epochs reported": reported,
        "training seconds": report["compute"]["train_seconds"],
        "trial process seconds": report["compute"]["trial_seconds"],
        "wall seconds": round(report["wall_seconds"], 1),
    }


def goal(grid: dict[str, Any], tpe: dict[str, Any]) -> tuple[float, float, bool]:
    """(points behind the grid's best, share of the grid's epochs, goal met)."""
    gap = 100 * (grid["best val_accuracy"] - (tpe["best val_accuracy"] or 0.0))
    share = tpe["epochs trained"] / grid["epochs trained"]
    return gap, share, gap <= 1.0 and share <= 1 / 3


def print_table(grid: dict[str, Any], tpe: dict[str, Any], tpe_label: str) -> None:
    def cell(v: Any) -> str:
        return f"{v:.4f}" if isinstance(v, float) and v < 1.5 else (f"{v:.1f}" if isinstance(v, float) else str(v))

    print(f"\n{'':24}{'grid':>26}{tpe_label:>26}{'tpe / grid':>12}")
    for name in grid:
        ratio = ""
        if name in ("epochs trained", "epochs reported", "training seconds", "trial process seconds",
                    "wall seconds", "trials") and grid[name]:
            ratio = f"{tpe[name] / grid[name]:.2f}"
        elif name == "best val_accuracy" and grid[name] is not None and tpe[name] is not None:
            ratio = f"{100 * (tpe[name] - grid[name]):+.1f} pt"
        print(f"{name:24}{cell(grid[name]):>26}{cell(tpe[name]):>26}{ratio:>12}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", help="existing dataset (default: generate one in WORK_DIR)")
    ap.add_argument("--per-class", type=int, default=60, help="pages per class when generating")
    ap.add_argument("--work-dir", default="outputs/bench_tune", help="studies, runs, trials and data go here")
    ap.add_argument("--model", default="mobilenetv3_small")
    ap.add_argument("--image-size", type=int, default=64)
    ap.add_argument("--lrs", type=float, nargs="+", default=[3e-4, 1e-3, 3e-3, 1e-2])
    ap.add_argument("--batch-sizes", type=int, nargs="+", default=[8, 16, 32])
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--tpe-trials", type=int, default=8)
    ap.add_argument("--pruner-warmup-epochs", type=int, default=2,
                    help="epochs before TPE's trials can be pruned (early epochs are near chance for all)")
    ap.add_argument("--pruner", default="median", choices=("median", "hyperband"))
    ap.add_argument("--n-jobs", type=int, default=1, help="trials at once (the same for both searches)")
    ap.add_argument("--threads", type=int, default=1,
                    help="torch threads per trial (1 avoids OpenMP spinning on a busy machine)")
    ap.add_argument("--tpe-seeds", type=int, nargs="+", default=[0], help="one TPE search per seed")
    ap.add_argument("--reuse-grid", action="store_true", help="take the grid's figures from the last run")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    logging.getLogger("mlflow").setLevel(logging.WARNING)

    work = Path(args.work_dir).resolve()
    work.mkdir(parents=True, exist_ok=True)
    data_dir = str(Path(ensure_data(args.data_dir, work, args.per_class)).resolve())
    os.chdir(work)  # MLflow puts artifacts under the working directory
    saved = work / "bench_tune.json"
    if args.reuse_grid and saved.is_file():
        grid = json.loads(saved.read_text())["grid"]
    else:
        grid = summary(search("grid", args, data_dir, work, seed=0))
    runs = {seed: summary(search("tpe", args, data_dir, work, seed, n_trials=args.tpe_trials, pruner=args.pruner,
                                 pruner_warmup_epochs=args.pruner_warmup_epochs, pruner_startup_trials=1,
                                 tpe_startup_trials=max(2, args.tpe_trials // 3)))
            for seed in args.tpe_seeds}
    print(f"\n{len(args.lrs) * len(args.batch_sizes)} combinations ({args.model} at {args.image_size} px, "
          f"lr x batch size), {args.epochs} epochs each, data {data_dir}, {os.cpu_count()} CPUs, "
          f"{args.n_jobs} trial(s) at once, {args.threads} thread(s) per trial")
    first = args.tpe_seeds[0]
    print_table(grid, runs[first], f"tpe+{args.pruner} seed {first}")
    print("\ngoal: within 1 point of the grid's best for <= 1/3 of its epochs")
    for seed, tpe in runs.items():
        gap, share, met = goal(grid, tpe)
        print(f"  tpe seed {seed}: best {tpe['best val_accuracy']:.4f} ({tpe['best params']}), {gap:+.1f} points "
              f"behind, {share:.0%} of the epochs: {'met' if met else 'not met'}")
    saved.write_text(json.dumps({"grid": grid, "tpe": runs}, indent=2))


if __name__ == "__main__":
    main()
