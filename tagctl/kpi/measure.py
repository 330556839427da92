"""A measuring run as `tagctl kpi` and `tagctl report` make it: history around `compute`.

The previous saved run gives the drift baseline; the new run is saved to
the history when asked. Nothing is printed: the caller shows progress and
says where a saved run went.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tagctl.kpi.compute import STAGES, KpiRequest, compute
from tagctl.kpi.history import open_history
from tagctl.kpi.masking import masked
from tagctl.kpi.passes import Progress
from tagctl.kpi.result import KpiRun
from tagctl.kpi.settings import history_settings


@dataclass(frozen=True)
class Measurement:
    """A run, and where it was saved."""

    run: KpiRun
    run_id: str | None  # the id of the saved run; None when it was not saved
    history: str  # the history store's URL, secrets masked


def steps(save: bool) -> int:
    """How many times `measure` reports progress: each stage, and the save."""
    return len(STAGES) + int(save)


def measure(
    request: KpiRequest, save: bool = False, progress: Progress | None = None
) -> Measurement:
    """Compute the KPIs of `request` (drift against history), saving the run if asked."""
    store = history_settings(request.config)
    step = progress or (lambda stage: None)
    run_id = None
    with open_history(store.url, store.keep_runs) as history:
        moment = request.as_of or dt.datetime.now(dt.UTC).replace(tzinfo=None)
        run = compute(request, history.baseline(moment), step)
        if save:
            run_id = history.save(run)
            step("save")
    return Measurement(run, run_id, masked(store.url))
