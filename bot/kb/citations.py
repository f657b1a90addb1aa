"""What the knowledge base hands back: passages found, citations, answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["Answer", "Citation", "SourcePassage"]


@dataclass(frozen=True, slots=True)
class SourcePassage:
    """A stored passage as the index sees it."""

    id: int
    source: str  # file name
    title: str
    locator: str
    heading_path: tuple[str, ...]
    text: str


@dataclass(frozen=True, slots=True)
class Citation:
    source: str
    title: str
    locator: str
    text: str
    score: float
    passage_id: int | None = None

    @property
    def label(self) -> str:
        return f"《{self.title}》{self.locator}"

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "title": self.title,
            "locator": self.locator,
            "text": self.text,
            "score": round(self.score, 4),
        }

    @classmethod
    def of(cls, passage: SourcePassage, score: float) -> Citation:
        return cls(
            source=passage.source,
            title=passage.title,
            locator=passage.locator,
            text=passage.text,
            score=score,
            passage_id=passage.id,
        )


@dataclass(frozen=True, slots=True)
class Answer:
    """``found`` False means: say so and offer to forward; ``citations`` then is empty."""

    question: str
    found: bool
    text: str
    citations: tuple[Citation, ...] = ()
    quote: str = ""
    via: Literal["extractive", "llm", "none"] = "none"
    notes: tuple[str, ...] = field(default=())
    # the checks a relaxed answer was let past, for the answer model to weigh (qa.py)
    overruled: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.text,
            "found": self.found,
            "citations": [c.to_json() for c in self.citations],
        }
