"""Text tables the CLI prints for registry answers (plain data in, aligned text out)."""

from __future__ import annotations

from typing import Any


def table(rows: list[list[Any]], header: list[str]) -> str:
    """A plain left-aligned text table."""
    cells = [[str(c) for c in header]] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _fmt(v: Any, digits: int = 4) -> str:
    return f"{v:.{digits}f}" if isinstance(v, float) else ("" if v is None else str(v))


def format_versions(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "no versions"
    return table([[r["version"], r["stage"], ",".join(r["aliases"]), r["run_id"], r["created"],
                   r["validation"].get("accuracy", ""), r["validation"].get("when", "")] for r in rows],
                 ["version", "stage", "aliases", "run", "created", "validated acc", "validated at"])


def format_version(r: dict[str, Any]) -> str:
    line = (f"{r['model']} version {r['version']}: stage {r['stage']}, aliases "
            f"{','.join(r['aliases']) or '-'}, run {r['run_id']}")
    if r.get("replaced"):
        line += f"; version {r['replaced']} archived"
    if r.get("changed") is False:
        line += " (unchanged: already there)"
    if r.get("gate"):
        line += f"\ngate: {'passed' if r['gate']['passed'] else 'FAILED, forced'}: {r['gate']['reason']}"
    return line


def format_runs(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "no runs"
    keys = ["val_accuracy", "val_f1", "test_accuracy", "test_f1"]
    return table([[r["run_id"], r["name"], r["status"], r["model"], *(_fmt(r["metrics"].get(k)) for k in keys),
                   r["started"]] for r in rows], ["run", "name", "status", "model", *keys, "started"])


def format_experiments(rows: list[dict[str, Any]]) -> str:
    return table([[r["experiment_id"], r["name"], r["lifecycle"], r["created"]] for r in rows],
                 ["id", "name", "lifecycle", "created"])


def format_comparison(cmp: dict[str, Any]) -> str:
    header = ["", *[f"{n} ({r[:8]})" for n, r in zip(cmp["names"], cmp["run_ids"])]]
    rows = []
    for kind in ("params", "metrics"):
        rows.append([f"[{kind}]"] + [""] * len(cmp["run_ids"]))
        for k, vals in cmp[kind].items():
            rows.append([("* " if k in cmp["differs"] else "  ") + k, *(_fmt(v) for v in vals)])
    return table(rows, header) + "\n(* values differ)"


def format_history(events: list[dict[str, Any]]) -> str:
    if not events:
        return "no stage changes recorded"
    return table([[e["when"], e["who"], e["version"], e["from_stage"], e["to_stage"], e.get("replaced_version"),
                   e.get("note", "")] for e in events],
                 ["when", "who", "version", "from", "to", "replaced", "note"])


def format_validation(report: dict[str, Any]) -> str:
    c, p = report["candidate"], report["production"]
    cols = [f"v{report['version']}"] + ([f"Production v{p['version']}", "change"] if p else [])

    def row(label: str, a: float, b: float | None, digits: int = 4, scale: float = 1.0) -> list[str]:
        cells = [label, f"{a * scale:.{digits}f}"]
        if p is not None and b is not None:
            cells += [f"{b * scale:.{digits}f}", f"{(a - b) * scale:+.{digits}f}"]
        return cells

    rows = [row("accuracy", c["accuracy"], p and p["accuracy"]), row("macro F1", c["macro_f1"], p and p["macro_f1"])]
    rows += [row(f"recall {k}", v, p and p["recall"].get(k)) for k, v in c["recall"].items()]
    for key, label in (("latency_ms_p50", "latency p50 ms (b1)"), ("latency_ms_p95", "latency p95 ms (b1)"),
                       ("throughput_b32", "images/s (b32)")):
        rows.append(row(label, c["speed"][key], p and p["speed"][key], digits=1))
    head = (f"{report['model']} version {report['version']} on {report['data_dir']} ({c['n_images']} images, "
            f"{c['speed']['threads']} threads)" + ("" if p else "; no other version in Production to compare"))
    return head + "\n" + table(rows, ["", *cols]) + f"\nstored on the version; report: {report.get('stored_as')}"
