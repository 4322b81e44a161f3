"""Schema of overlays in ``site_config/playbook/*.yaml``: a company's changes to the
shipped knowledge, merged by id so upstream updates to ``playbook/`` merge cleanly."""

from __future__ import annotations

from pydantic import Field

from generator.schema.base import Id, Strict, Text
from generator.schema.playbook import Check, Example, Item


class OverlayItem(Strict):
    """Add an item (with ``add_to``), replace fields of an existing one, or disable it."""

    id: Id
    """Id of the item to change, or of the new item when ``add_to`` is given."""
    add_to: Id | None = None
    """For a new item: the id of the module or item it goes under."""
    after: Id | None = None
    """For a new item: the id of the sibling it follows (default: last)."""
    enabled: bool = True
    """``false`` removes the item (and its sub-items and every link to it) everywhere."""
    title: Text | None = None
    """Replaces the title."""
    summary: Text | None = None
    """Replaces the one-line summary."""
    body: str | None = None
    """Replaces the longer explanation."""
    points: list[Text] | None = None
    """Replaces the key points."""
    steps: list[Text] | None = None
    """Replaces the steps."""
    examples: list[Example] | None = None
    """Replaces the examples."""
    cautions: list[Text] | None = None
    """Replaces the compliance cautions (have your legal team review)."""
    checks: list[Check] | None = None
    """Replaces the conditions to check before acting."""
    discussion: list[Text] | None = None
    """Replaces the discussion questions."""
    aliases: list[Text] | None = None
    """Replaces the search aliases."""
    related: list[Id] | None = None
    """Replaces the related ids."""
    letters: list[Id] | None = None
    """Replaces the letter ids."""
    source: str | None = None
    """Source title or «编者补充» (a new item needs one unless its parent has it)."""
    items: list[Item] | None = None
    """Replaces (or, for a new item, gives) the sub-items."""


class Overlay(Strict):
    """One overlay file."""

    items: list[OverlayItem] = Field(default_factory=list)
    """Changes, applied in order."""
