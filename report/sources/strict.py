"""The base of every user-facing schema (report.yaml, data files, front matter)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """Base for all user-facing schemas: unknown keys are reported, objects are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)
