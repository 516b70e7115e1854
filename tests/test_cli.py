"""The command line's spellings: every seed spelling still parses to the same options as the new one."""

from __future__ import annotations

import pytest

from docclf.cli import _legacy_action, build_parser, run
from docclf.config import EvaluateConfig, GenerateConfig, RegistryConfig, TrainConfig, config_from_args


@pytest.mark.parametrize("old, new, cls", [
    (["train", "--monitor", "val_loss"], ["train", "--metric", "val_loss"], TrainConfig),
    (["generate", "--format", "jpg"], ["generate", "--image-format", "jpg"], GenerateConfig),
    (["evaluate", "--model", "m.pth", "--data-dir", "d"], ["evaluate", "--model-uri", "m.pth", "--data-dir", "d"],
     EvaluateConfig),
    (["registry", "--action", "list-runs", "--experiment", "e"], ["registry", "list-runs", "--mlflow-experiment", "e"],
     RegistryConfig),
    (["registry", "--action=best-run", "--metric", "val_f1"], ["registry", "best-run", "--metric", "val_f1"],
     RegistryConfig),
])
def test_old_and_new_spellings_build_the_same_config(old, new, cls):
    parser = build_parser()
    a, b = (parser.parse_args(_legacy_action(argv)) for argv in (old, new))
    assert config_from_args(cls, a) == config_from_args(cls, b)


def test_the_seed_registry_form_moves_the_action_first():
    assert _legacy_action(["registry", "--model-name", "m", "--action", "promote", "--version", "1"]) == \
        ["registry", "promote", "--model-name", "m", "--version", "1"]
    assert _legacy_action(["train", "--action", "x"]) == ["train", "--action", "x"]


def test_each_registry_action_takes_only_its_options(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["registry", "list-experiments", "--version", "3"])
    assert "unrecognized arguments: --version" in capsys.readouterr().err


@pytest.mark.parametrize("argv, message", [
    (["registry", "validate", "--version", "1"], "docclf registry validate needs --data-dir"),
    (["registry", "--action", "set-alias"], "needs --alias and --version"),
    (["evaluate", "--data-dir", "d"], "no model to evaluate: pass --model-uri"),
    (["evaluate", "--model", "nowhere.pth", "--data-dir", "d"], "model 'nowhere.pth' not found: give a checkpoint"),
])
def test_missing_or_bad_options_are_one_line(argv, message, capsys):
    assert run(argv) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1, err
