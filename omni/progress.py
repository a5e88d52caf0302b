"""A Dagster logger: one short line per step, materialisation and failed check."""

from __future__ import annotations

import logging
import sys
import time

import dagster as dg


class _ProgressHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.started = time.monotonic()

    def _say(self, text: str) -> None:
        elapsed = time.monotonic() - self.started
        # The terminal, even while the run's own output is redirected to its log file.
        print(f"[{elapsed:7.1f}s] {text}", file=sys.__stdout__, flush=True)

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None) or {}
        event = meta.get("dagster_event")
        if event is None:
            if record.levelno >= logging.WARNING:
                self._say(f"warning: {meta.get('orig_message', record.getMessage())}")
            return
        kind = event.event_type_value
        data = event.event_specific_data
        if kind == "STEP_START":
            self._say(f"start    {event.step_key}")
        elif kind == "STEP_FAILURE":
            error = data.error
            while error.cause is not None:
                error = error.cause
            self._say(f"FAILED   {event.step_key}: {error.message.strip().splitlines()[0]}")
        elif kind == "ASSET_MATERIALIZATION":
            materialization = data.materialization
            metadata = materialization.metadata
            figures = [
                f"{name}={metadata[name].value:,}"
                for name in ("files_loaded", "rows_loaded", "rows_rejected", "dagster/row_count")
                if name in metadata and isinstance(metadata[name].value, int)
            ]
            self._say(f"built    {materialization.asset_key.to_user_string()}  {' '.join(figures)}")
        elif kind == "ASSET_CHECK_EVALUATION" and not data.passed:
            # Passed checks are counted in the run's summary; failures are named at once.
            detail = f"  {data.description}" if data.description else ""
            self._say(
                f"CHECK FAILED ({data.severity.value.lower()})  "
                f"{data.asset_key.to_user_string()}:{data.check_name}{detail}"
            )


@dg.logger(description="One short line per step, materialisation and failed check.")
def progress_logger(init_context: dg.InitLoggerContext) -> logging.Logger:
    logger = logging.Logger("omni.progress", level=logging.DEBUG)
    logger.addHandler(_ProgressHandler())
    return logger
