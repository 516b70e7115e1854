"""docclf.refs: every form of model reference, and the one error for a bad one."""

from __future__ import annotations

import pytest

from docclf.errors import UsageError
from docclf.refs import parse_ref, parse_run_id

RUN = "0123456789abcdef0123456789abcdef"


@pytest.mark.parametrize("text, kind, fields", [
    (RUN, "run", {"run_id": RUN, "artifact": None, "model_uri": None}),
    (f"runs:/{RUN}", "run", {"run_id": RUN, "artifact": None, "model_uri": None}),
    (f"runs:/{RUN}/", "run", {"run_id": RUN, "artifact": None}),
    (f"runs:/{RUN}/pytorch_model", "run", {"run_id": RUN, "artifact": "pytorch_model",
                                           "model_uri": f"runs:/{RUN}/pytorch_model"}),
    ("models:/doc_classifier/3", "registered", {"name": "doc_classifier", "version": "3", "follows": False,
                                                "model_uri": "models:/doc_classifier/3"}),
    ("models:/doc_classifier/production", "registered", {"stage": "Production", "version": None, "follows": True}),
    ("models:/doc_classifier/Staging", "registered", {"stage": "Staging"}),
    ("models:/doc_classifier@champion", "registered", {"alias": "champion", "follows": True}),
    ("models:/m-0123abcd", "logged", {"name": "m-0123abcd", "model_uri": "models:/m-0123abcd"}),
])
def test_uri_forms(text, kind, fields):
    ref = parse_ref(text)
    assert ref.kind == kind and ref.uri == text
    for key, value in fields.items():
        assert getattr(ref, key) == value, key


def test_a_stage_or_alias_pins_to_a_version():
    ref = parse_ref("models:/doc_classifier@production").pinned("7")
    assert ref.pinned_uri == "models:/doc_classifier/7" == ref.model_uri and ref.alias == "production"


def test_files_and_folders(tmp_path):
    ckpt = tmp_path / "model_final.pth"
    ckpt.write_bytes(b"x")
    export = tmp_path / "exports"
    export.mkdir()
    (export / "model.json").write_text("{}")
    (export / "model.onnx").write_bytes(b"x")
    assert parse_ref(str(ckpt)).kind == "checkpoint" and parse_ref(str(ckpt)).path == str(ckpt)
    assert parse_ref(str(export)).kind == "export" and parse_ref(str(export)).name == "exports"
    assert parse_ref(str(export / "model.onnx")).kind == "export"
    assert not parse_ref(str(ckpt)).is_mlflow and parse_ref(RUN).is_mlflow


@pytest.mark.parametrize("text, why", [
    ("", "is empty"),
    ("outputs/nowhere/best.pth", "not found"),
    ("nowhere/model.onnx", "not found"),
    ("abc123", "not found"),  # too short for a run id, and no such file
    ("models:/", "is not a model URI"),
    ("models:/a/b/c", "is not a model URI"),
    ("models:/doc_classifier/Prod", "unknown stage 'Prod'"),
    ("runs:/", "is not a run URI"),
])
def test_bad_references_get_one_line_naming_the_forms(text, why):
    with pytest.raises(UsageError) as err:
        parse_ref(text)
    message = str(err.value)
    assert why in message and "\n" not in message
    if "stage" not in why:
        assert "models:/NAME@ALIAS" in message and "runs:/ID" in message


def test_a_folder_without_sidecar_is_not_an_export(tmp_path):
    with pytest.raises(UsageError, match="without model.json"):
        parse_ref(str(tmp_path))


def test_run_ids():
    assert parse_run_id(f"runs:/{RUN}/pytorch_model") == RUN == parse_run_id(RUN)
    with pytest.raises(UsageError, match="is not a run id"):
        parse_run_id("models:/x/1")
