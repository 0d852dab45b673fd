"""Files a planner brings: the upload size limit, lots from an uploaded file, and the
sample lots of ``data/`` preloaded into New schedule."""

from __future__ import annotations

import streamlit as st

from webapp.errors import InputError
from webapp.filling.runs import Lot, read_lots
from webapp.settings import PROJECT_ROOT, get_settings
from webapp.ui.session import LOTS_KEY

SAMPLE_LOTS = PROJECT_ROOT / "data" / "sample_lots.csv"


def upload_bytes(uploaded, limit: int | None = None) -> bytes:
    """Content of an ``st.file_uploader`` file.

    Raises:
        InputError: the file is larger than the upload limit (``PSS_MAX_UPLOAD_MB``);
            checked before any parsing.
    """
    limit = get_settings().max_upload_bytes if limit is None else limit
    data = uploaded.getvalue()
    if len(data) > limit:
        raise InputError(
            f"file is {len(data) / 1e6:.1f} MB; uploads are limited to {limit / 1e6:.1f} MB",
            source=uploaded.name,
        )
    return data


def parse_upload(uploaded) -> tuple[list[Lot] | None, InputError | None]:
    """The lots of an ``st.file_uploader`` file: ``(lots, None)`` or ``(None, error)``."""
    try:
        return read_lots(upload_bytes(uploaded), uploaded.name), None
    except InputError as exc:
        return None, exc


def sample_lots() -> list[Lot]:
    """The sample lots shipped in ``data/sample_lots.csv``."""
    return read_lots(SAMPLE_LOTS.read_bytes(), SAMPLE_LOTS.name)


def load_demo_lots() -> None:
    """Preload the sample lots into New schedule (no file needed)."""
    st.session_state[LOTS_KEY] = {"lots": sample_lots(), "file_name": SAMPLE_LOTS.name}
