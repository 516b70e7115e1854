"""docclf.config: one builder (defaults < YAML < environment < command line), old spellings, metric directions."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from docclf.config import (METRICS, VAL_METRICS, GenerateConfig, RegistryConfig, ServeConfig, TrainConfig,
                           TuneConfig, add_config_args, build_config, config_from_args, metric_direction)
from docclf.errors import UsageError


def _parse(cls: type, argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--config")
    add_config_args(parser, cls)
    return parser.parse_args(argv)


def test_precedence_defaults_yaml_environment_command_line(tmp_path):
    yaml_file = tmp_path / "serve.yaml"
    yaml_file.write_text("model_uri: a.pth\nport: 9000\nthreads: 7\nworkers: 3\n")
    env = {"DOCCLF_PORT": "9100", "DOCCLF_THREADS": "8"}
    cfg = config_from_args(ServeConfig, _parse(ServeConfig, ["--config", str(yaml_file), "--port", "9200"]), env)
    assert (cfg.port, cfg.threads, cfg.workers, cfg.timeout) == (9200, 8, 3, 60)  # cli, env, yaml, default


def test_a_config_without_env_prefix_ignores_the_environment(tmp_path):
    cfg = config_from_args(TrainConfig, _parse(TrainConfig, ["--epochs", "2"]), {"DOCCLF_EPOCHS": "9"})
    assert cfg.epochs == 2 and cfg.batch_size == 32


def test_unknown_keys_are_errors_that_list_the_valid_ones(tmp_path):
    yaml_file = tmp_path / "train.yaml"
    yaml_file.write_text("epohcs: 3\n")
    with pytest.raises(UsageError, match="unknown option 'epohcs'; valid options: .*epochs"):
        config_from_args(TrainConfig, _parse(TrainConfig, ["--config", str(yaml_file)]))


def test_yaml_values_are_coerced_and_bad_ones_refused():
    cfg = build_config(TrainConfig, {"lr": 1, "progress": "off"})
    assert isinstance(cfg.lr, float) and cfg.progress is False
    with pytest.raises(UsageError, match="option epochs: cannot read 'many' as int"):
        build_config(TrainConfig, {"epochs": "many"})


@pytest.mark.parametrize("cls, old, new, value", [
    (TrainConfig, "monitor", "metric", "val_loss"),
    (GenerateConfig, "format", "image_format", "jpg"),
    (RegistryConfig, "experiment", "mlflow_experiment", "other"),
])
def test_old_spellings_are_aliases_on_the_command_line_and_in_yaml(cls, old, new, value):
    via_flag = config_from_args(cls, _parse(cls, [f"--{old.replace('_', '-')}", value]))
    via_yaml = build_config(cls, {old: value})
    assert getattr(via_flag, new) == value == getattr(via_yaml, new)


def test_old_attribute_names_still_read():
    assert build_config(TrainConfig, {"monitor": "val_loss"}).monitor == "val_loss"
    assert build_config(GenerateConfig, {"format": "jpg"}).format == "jpg"


def test_metric_directions_come_from_one_table():
    assert {m: metric_direction(m) for m in VAL_METRICS} == {
        "val_f1": "maximize", "val_accuracy": "maximize", "val_loss": "minimize"}
    assert all(metric_direction(m) == d for m, d in METRICS.items())
    # names outside the table: losses and times are better low
    assert metric_direction("train_loss_smoothed") == "minimize" and metric_direction("latency_ms_p50") == "minimize"
    assert metric_direction("test_recall") == "maximize"
    assert build_config(TuneConfig, None, {"metric": "val_loss"}).resolved_direction == "minimize"
    assert build_config(TuneConfig, None, {"metric": "val_loss", "direction": "maximize"}).resolved_direction == \
        "maximize"


def test_training_and_tuning_pick_by_the_same_metrics():
    from dataclasses import fields

    choices = [f.metadata["choices"] for cls in (TrainConfig, TuneConfig) for f in fields(cls) if f.name == "metric"]
    assert choices == [VAL_METRICS, VAL_METRICS]


def test_importing_the_configs_loads_nothing_heavy():
    code = ("import sys, docclf.config, docclf.refs, docclf.cli; "
            "print(sorted(m for m in ('torch', 'timm', 'mlflow', 'optuna', 'flask') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
