"""Where a scenario came from and who has reviewed it: the ``provenance`` block.

Reviews are recorded one by one (role, date, the version reviewed) so that a learner and a
trainer can see whether the text in front of them is the text that was reviewed. The older
``reviewers`` list (names or roles only) still loads; lint asks authors to move it to
``reviews`` (``reviewers-deprecated``), since a list of names cannot say what was reviewed.
"""

from __future__ import annotations

import datetime
from typing import Literal

from pydantic import BaseModel, Field, model_validator
from pydantic_core import PydanticCustomError

from roleplay.core.fields import MODEL_CONFIG, Text, empty_list


class Review(BaseModel):
    """One review of the scenario by one person or panel, credited by role."""

    model_config = MODEL_CONFIG

    role: Text
    """Who reviewed, by role (names are optional and may be private), e.g. `Lived-experience
    reviewer, Sylheti-speaking community` or `Child-protection social worker`."""
    date: datetime.date
    """When the review was done, as `YYYY-MM-DD`."""
    version: Text
    """The scenario `version` that was reviewed (re-review on every change)."""
    notes: Text | None = None
    """What was reviewed (best, repair and mistake paths) and what changed as a result."""


class Provenance(BaseModel):
    """Who wrote the scenario and how far it has been reviewed."""

    model_config = MODEL_CONFIG

    authors: list[Text] = Field(min_length=1)
    """The people (or team) who wrote it."""
    review_status: Literal["draft", "reviewed"] = "draft"
    """`draft` until people with lived experience of the client's situation have reviewed it;
    `reviewed` only after they have."""
    reviews: list[Review] = empty_list()
    """Each review: `role`, `date`, the `version` reviewed, `notes`. Required when
    `reviewed`."""
    reviewers: list[Text] = empty_list()
    """Deprecated: who reviewed it, as names or roles only. Write `reviews` instead (lint
    warns `reviewers-deprecated`); still accepted so older files load."""
    notes: Text | None = None
    """Anything a trainer should know about where the scenario came from."""

    @property
    def draft_notice(self) -> str | None:
        """The one line a learner sees before a draft scenario (None once reviewed)."""
        if self.review_status == "reviewed":
            return None
        return (
            "Draft: not yet reviewed by people with lived experience of this client's "
            "situation. Treat the portrayal and the ratings with care."
        )

    @model_validator(mode="after")
    def _reviewed_needs_reviews(self) -> Provenance:
        if self.review_status == "reviewed" and not (self.reviews or self.reviewers):
            raise PydanticCustomError(
                "reviewers_missing",
                "review_status 'reviewed' needs at least one entry in 'reviews' "
                "(role, date, version); keep 'draft' until the scenario has been reviewed",
            )
        return self
