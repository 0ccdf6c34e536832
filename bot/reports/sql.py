"""The few SQL expressions SQLite and PostgreSQL spell differently (all times UTC)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, cast, func
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement


class Dialect:
    """Builds expressions for one database ("sqlite" or "postgresql")."""

    def __init__(self, name: str) -> None:
        if name not in ("sqlite", "postgresql"):
            raise ValueError(f"reports support SQLite and PostgreSQL, not {name}")
        self.name = name

    @classmethod
    def of(cls, session: Session) -> Dialect:
        return cls(session.get_bind().dialect.name)

    def _utc(self, col: Any) -> Any:
        return func.timezone("UTC", col)

    def day(self, col: Any) -> ColumnElement[str]:
        """'YYYY-MM-DD' of a stored time."""
        if self.name == "sqlite":
            return func.strftime("%Y-%m-%d", col)
        return func.to_char(self._utc(col), "YYYY-MM-DD")

    def month(self, col: Any) -> ColumnElement[str]:
        if self.name == "sqlite":
            return func.strftime("%Y-%m", col)
        return func.to_char(self._utc(col), "YYYY-MM")

    def hour_of_week(self, col: Any) -> ColumnElement[int]:
        """0..167: Sunday 00h is 0 (both databases count Sunday as day 0)."""
        if self.name == "sqlite":
            return (cast(func.strftime("%w", col), Integer) * 24
                    + cast(func.strftime("%H", col), Integer))
        return cast(func.extract("dow", self._utc(col)) * 24
                    + func.extract("hour", self._utc(col)), Integer)

    def seconds_between(self, start: Any, end: Any) -> ColumnElement[float]:
        if self.name == "sqlite":
            return (func.julianday(end) - func.julianday(start)) * 86400.0
        return func.extract("epoch", end - start)

    def json_elements(self, col: Any, name: str) -> Any:
        """A table of the text elements of a JSON array column (one row per element)."""
        if self.name == "sqlite":
            return func.json_each(col).table_valued("value").alias(name)
        return func.json_array_elements_text(col).table_valued("value").alias(name)
