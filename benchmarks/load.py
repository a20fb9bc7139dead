"""Runs locust headless against the server, bounded in time, and sums up its requests."""

import json
import math
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
BIN = Path(sys.executable).parent
# A user stopped at the end of the run first finishes its request: at most this long (a
# network report queued behind nine others at full scale), so a run is bounded.
STOP_TIMEOUT = 600


def run_locust(base_url: str, plan: dict, users: int, seconds: int, folder: Path) -> list:
    """Every request of the run: (endpoint key, start, milliseconds, error or "")."""
    name = f"locust-{plan['mode']}-{users}"
    plan_path, out_path, log_path = (folder / f"{name}.{ext}" for ext in ("plan", "out", "log"))
    plan_path.write_text(json.dumps(plan), encoding="utf-8")
    out_path.unlink(missing_ok=True)
    command = [
        BIN / "locust",
        f"--locustfile={LOCUSTFILE}",
        "--headless",
        f"--host={base_url}",
        f"--users={users}",
        f"--spawn-rate={users}",
        f"--run-time={seconds}s",
        f"--stop-timeout={STOP_TIMEOUT}",
        "--loglevel=WARNING",
        "--only-summary",
    ]
    environment = {**os.environ, "BENCH_PLAN": str(plan_path), "BENCH_OUT": str(out_path)}
    with open(log_path, "w", encoding="utf-8") as log:
        # Exits 1 when a request failed: the failures are counted below, not fatal.
        subprocess.run(command, env=environment, stdout=log, stderr=subprocess.STDOUT)
    if not out_path.exists():
        sys.exit(f"locust n'a rien mesuré :\n{log_path.read_text(encoding='utf-8')[-3000:]}")
    records = json.loads(out_path.read_text(encoding="utf-8"))
    for path in (plan_path, out_path, log_path):
        path.unlink()
    return records


def summarise(records: list) -> dict:
    """Count, p50, p95 (nearest rank, exact milliseconds), requests per second over the
    span from the first start to the last answer, errors and their first messages."""
    if not records:
        return {"requests": 0, "p50_ms": None, "p95_ms": None, "rps": 0.0, "errors": 0}
    durations = sorted(duration for _, _, duration, _ in records)
    first = min(start for _, start, _, _ in records)
    last = max(start + duration / 1000 for _, start, duration, _ in records)
    errors = Counter(error for *_, error in records if error)
    return {
        "requests": len(records),
        "p50_ms": round(percentile(durations, 50), 1),
        "p95_ms": round(percentile(durations, 95), 1),
        "rps": round(len(records) / max(last - first, 1e-9), 2),
        "errors": sum(errors.values()),
        "error_kinds": dict(errors.most_common(3)),
    }


def percentile(ordered: list[float], p: float) -> float:
    return ordered[max(math.ceil(p / 100 * len(ordered)) - 1, 0)]


def by_endpoint(records: list) -> dict[str, list]:
    grouped: dict[str, list] = {}
    for record in records:
        grouped.setdefault(record[0], []).append(record)
    return grouped
