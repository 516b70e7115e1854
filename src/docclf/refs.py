"""What a model reference points to: the one parser for every command that takes a model.

The forms, as users type them:

    outputs/run/model_final.pth          a checkpoint file                      kind "checkpoint"
    exports/  or  exports/model.onnx     an export folder (model.json inside)   kind "export"
    0123...cdef (32 hex)  or  runs:/ID   a run: its model_final.pth             kind "run"
    runs:/ID/pytorch_model               an artifact of a run (a logged model)  kind "run"
    models:/NAME/3                       a registered version                   kind "registered"
    models:/NAME/Production              the version in a stage (moves)         kind "registered"
    models:/NAME@production              the version an alias names (moves)     kind "registered"
    models:/m-<id>                       an MLflow 3 logged model               kind "logged"

Parsing touches neither MLflow nor the network; only a path is checked for existence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from docclf.errors import UsageError

STAGES = ("None", "Staging", "Production", "Archived")
MODEL_ARTIFACT = "pytorch_model"  # the logged model's artifact path in a run
CHECKPOINT_ARTIFACT = "model_final.pth"  # the checkpoint a run logs
SIDECAR = "model.json"  # what an export folder says about its files

RefKind = Literal["checkpoint", "export", "run", "registered", "logged"]

FORMS = ("a checkpoint file, an export folder (with model.json), a run id or runs:/ID[/PATH], "
         "models:/NAME/VERSION, models:/NAME/STAGE or models:/NAME@ALIAS")
_RUN_ID = re.compile(r"[0-9a-f]{32}")
_NAME = r"[^/@\s]+"
_REGISTERED = re.compile(rf"models:/(?P<name>{_NAME})(?:/(?P<ref>{_NAME})|@(?P<alias>{_NAME}))?/?")
_RUN = re.compile(rf"runs:/(?P<run_id>{_NAME})(?:/(?P<artifact>\S*?))?/?")


@dataclass(frozen=True)
class ModelRef:
    """A parsed model reference; `uri` is the text as given. A stage or alias gets `version` from the registry."""

    uri: str
    kind: RefKind
    name: str  # registered model name, logged model id, run id, or the file's stem
    path: str | None = None  # checkpoint file or export folder / .onnx file
    run_id: str | None = None
    artifact: str | None = None  # runs:/ID/<artifact>
    version: str | None = None
    stage: str | None = None
    alias: str | None = None

    @property
    def follows(self) -> bool:
        """True when the reference names a moving target (a stage or an alias) worth polling."""
        return self.kind == "registered" and (self.stage is not None or self.alias is not None)

    @property
    def is_mlflow(self) -> bool:
        """True when loading it needs a tracking server (or store)."""
        return self.kind in ("run", "registered", "logged")

    @property
    def pinned_uri(self) -> str:
        """models:/NAME/VERSION once the version is known; otherwise the reference as given."""
        return f"models:/{self.name}/{self.version}" if self.kind == "registered" and self.version else self.uri

    @property
    def model_uri(self) -> str | None:
        """The URI MLflow loads a logged pytorch model from, or None (a checkpoint, an export, a bare run)."""
        if self.kind == "registered":
            return self.pinned_uri
        if self.kind == "logged":
            return self.uri
        if self.kind == "run" and self.artifact:
            return f"runs:/{self.run_id}/{self.artifact}"
        return None

    def pinned(self, version: str) -> "ModelRef":
        return replace(self, version=str(version))


def bad_reference(text: str, why: str = "not found") -> UsageError:
    """The one error for a reference that points nowhere."""
    return UsageError(f"model {text!r} {why}: give {FORMS}")


def normalize_stage(stage: str) -> str:
    """'production' -> 'Production'; a one-line error for anything that is not a stage."""
    for s in STAGES:
        if stage.lower() == s.lower():
            return s
    raise UsageError(f"unknown stage {stage!r}; choose one of {', '.join(STAGES)}")


def parse_ref(text: str) -> ModelRef:
    """Say what `text` points to (see the module docstring), or raise the one bad-reference error."""
    text = str(text).strip()
    if not text:
        raise bad_reference(text, "is empty")
    if text.startswith("models:/"):
        return _parse_models(text)
    if text.startswith("runs:/"):
        m = _RUN.fullmatch(text)
        if m is None:
            raise bad_reference(text, "is not a run URI")
        return ModelRef(text, "run", m["run_id"], run_id=m["run_id"], artifact=m["artifact"] or None)
    path = Path(text)
    if path.suffix == ".onnx" or (path.is_dir() and (path / SIDECAR).is_file()):
        if not path.exists():
            raise bad_reference(text, "not found")
        return ModelRef(text, "export", path.stem if path.is_file() else path.name, path=text)
    if path.is_file():
        return ModelRef(text, "checkpoint", path.stem, path=text)
    if path.is_dir():
        raise bad_reference(text, f"is a folder without {SIDECAR} (not an export)")
    if _RUN_ID.fullmatch(text):
        return ModelRef(text, "run", text, run_id=text)
    raise bad_reference(text)


def _parse_models(text: str) -> ModelRef:
    m = _REGISTERED.fullmatch(text)
    if m is None:
        raise bad_reference(text, "is not a model URI")
    name, ref, alias = m["name"], m["ref"], m["alias"]
    if alias:
        return ModelRef(text, "registered", name, alias=alias)
    if ref is None:  # MLflow 3: models:/m-<id> is a logged model, not a registered one
        return ModelRef(text, "logged", name)
    if ref.isdigit():
        return ModelRef(text, "registered", name, version=ref)
    return ModelRef(text, "registered", name, stage=normalize_stage(ref))


def parse_run_id(text: str) -> str:
    """The run id in `ID` or `runs:/ID[/PATH]`; the bad-reference error for anything else."""
    text = str(text).strip()
    if text.startswith("runs:/"):
        return parse_ref(text).name
    if _RUN_ID.fullmatch(text) or (text and re.fullmatch(r"[0-9A-Za-z_-]+", text)):
        return text  # file stores and other backends may use other id shapes; MLflow says if it is unknown
    raise bad_reference(text, "is not a run id")
