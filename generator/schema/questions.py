"""``playbook/questions.yaml``: how people ask for each item (item id → questions).

The shape is checked here; that every key is an item id (with «did you mean») is checked
by ``generator.search.questions`` once the playbook's ids are known.
"""

from __future__ import annotations

from pydantic import ConfigDict, RootModel

from generator.schema.base import Text


class Questions(RootModel[dict[str, list[Text]]]):
    """Item id → the questions reps type for it (shown as «常见问法», indexed for search)."""

    model_config = ConfigDict(strict=True)
