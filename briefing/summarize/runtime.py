"""Which engine and precision run a checkpoint, and why.

Two engines run the same checkpoint: CTranslate2 (a converted copy, see ct2.py) and torch
(transformers). On CPU the default is the fastest one whose outputs pass the fidelity check
(evaluation/fidelity.py: int8 against fp32 on a trained tiny model, ≥ 90% token-identical outputs or
ROUGE-L ≥ 0.95; tests/test_ct2.py pins it): CTranslate2 int8. A checkpoint CTranslate2 cannot
convert runs on torch, with dynamic int8 Linear layers on CPU (the same check covers it).
On CUDA: bfloat16 where the GPU has it (mT5 overflows in float16), else float32.

Planning imports neither torch nor transformers; ctranslate2 only to ask what it supports.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError
from ..model_paths import resolve_model_path
from ..settings import ENGINES, PRECISIONS

TORCH_PRECISIONS = ("auto", "float32", "int8", "float16", "bfloat16")
# model_type values whose checkpoints CTranslate2's Transformers converter reads (its loaders:
# T5/MT5/UMT5, BART, mBART, Marian, M2M100/NLLB). Its Pegasus loader has one too, but under
# transformers 5 it stops at "Some required model attributes are not set": torch runs Pegasus.
CT2_MODEL_TYPES = frozenset({"t5", "mt5", "umt5", "bart", "mbart", "marian", "m2m_100"})
FIDELITY_NOTE = "int8 outputs pass the fidelity check against fp32 (≥ 90% token-identical or ROUGE-L ≥ 0.95)"


@dataclass(frozen=True)
class RuntimePlan:
    engine: str  # "ctranslate2" or "torch"
    precision: str  # float32, int8, int8_float32, int8_float16, float16, bfloat16
    device: str  # cpu, cuda, cuda:N, mps, or auto (torch picks)
    reason: str

    @property
    def label(self) -> str:
        return f"{self.engine} {self.precision} on {self.device}"

    @property
    def key(self) -> str:
        """What changes the outputs: part of the summary cache key."""
        return f"{self.engine}:{self.precision}"


def ct2_available() -> bool:
    try:
        import ctranslate2  # noqa: F401
    except ImportError:
        return False
    return True


def _model_type(path: str) -> str | None:
    config = Path(path) / "config.json"
    if not config.is_file():
        return None  # a hub id: its folder is resolved when the model is loaded
    try:
        return json.loads(config.read_text(encoding="utf-8")).get("model_type")
    except (OSError, ValueError):
        return None


def _ct2_device(device: str) -> str:
    import ctranslate2

    if device == "auto":
        return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    return device


def _ct2_precision(precision: str, device: str) -> tuple[str, str]:
    import ctranslate2

    kind = "cuda" if device.startswith("cuda") else "cpu"
    supported = ctranslate2.get_supported_compute_types(kind, int(device.split(":")[1]) if ":" in device else 0)
    if precision != "auto":
        if precision not in supported:
            raise ConfigError(
                f"CTranslate2 cannot compute in {precision} on {device}",
                hint=f"this machine supports: {', '.join(sorted(supported))}",
            )
        return precision, "as configured"
    if kind == "cpu":
        return "int8", f"fastest on CPU; {FIDELITY_NOTE}"
    if "bfloat16" in supported:
        return "bfloat16", "fastest safe CUDA type here (mT5 overflows in float16)"
    return "float32", "this GPU lacks bfloat16 (mT5 overflows in float16)"


def torch_plan(precision: str, device: str, reason: str) -> RuntimePlan:
    """The torch engine's precision: int8 only on CPU; the device is resolved when it loads."""
    if precision not in TORCH_PRECISIONS:
        raise ConfigError(f"the torch engine has no precision {precision}", hint=", ".join(TORCH_PRECISIONS))
    on_cpu = device == "cpu" or (device == "auto" and not _torch_sees_accelerator())
    if precision == "auto":
        if on_cpu:
            return RuntimePlan("torch", "int8", "cpu", f"{reason}; dynamic int8 Linear layers: {FIDELITY_NOTE}")
        return RuntimePlan("torch", "auto", device, f"{reason}; bfloat16 on CUDA where supported, else float32")
    if precision == "int8" and not on_cpu:
        raise ConfigError("torch int8 runs on CPU only", hint="use --device cpu or another precision")
    return RuntimePlan("torch", precision, "cpu" if on_cpu else device, f"{reason}; precision as configured")


def _torch_sees_accelerator() -> bool:
    # Only asked when the user left device=auto and the torch engine runs anyway: torch is loaded then.
    import torch

    mps = getattr(torch.backends, "mps", None)
    return torch.cuda.is_available() or bool(mps and mps.is_available())


def plan_runtime(path: str, engine: str = "auto", precision: str = "auto", device: str = "auto") -> RuntimePlan:
    """The engine and precision a checkpoint will run with, and the reason."""
    if engine not in ENGINES:
        raise ConfigError(f"unknown engine '{engine}'", hint=", ".join(ENGINES))
    if precision not in PRECISIONS:
        raise ConfigError(f"unknown precision '{precision}'", hint=", ".join(PRECISIONS))
    if engine == "torch":
        return torch_plan(precision, device, "engine = torch as configured")
    blocker = ct2_blocker(path, device)
    if blocker:
        if engine == "ctranslate2":
            raise ConfigError(f"cannot use CTranslate2 for {path}: {blocker}", hint="use --engine torch")
        return torch_plan(precision, device, f"CTranslate2 not used: {blocker}")
    ct2_device = _ct2_device(device)
    chosen, why = _ct2_precision(precision, ct2_device)
    return RuntimePlan("ctranslate2", chosen, ct2_device, why)


def ct2_blocker(path: str, device: str) -> str | None:
    """Why CTranslate2 cannot run this checkpoint here, or None."""
    if not ct2_available():
        return "the ctranslate2 package is not installed"
    if device == "mps":
        return "CTranslate2 has no MPS device"
    model_type = _model_type(path)
    if model_type is not None and model_type not in CT2_MODEL_TYPES:
        return f"CTranslate2 cannot convert model type '{model_type}'"
    from .checkpoint import recorded_failure

    return recorded_failure(path)


def describe_runtime(name: str, revision: str | None, engine: str, precision: str, device: str) -> str:
    """The `brief model info` lines on how `brief build --model NAME` will run it."""
    plan = plan_runtime(resolve_model_path(name), engine, precision, device)
    lines = [f"engine:       {plan.label}", f"why:          {plan.reason}"]
    if plan.engine == "ctranslate2":
        from .checkpoint import ConversionError, conversion_path, locate_checkpoint

        try:
            target = conversion_path(locate_checkpoint(name, revision), plan.precision)
        except ConversionError as exc:
            lines.append(f"converted:    no: {exc}")
        else:
            done = (target / "model.bin").is_file()
            state = "ready" if done else "not yet: on first use, or `brief model convert`"
            lines.append(f"converted:    {target} ({state})")
    return "\n".join(lines)
