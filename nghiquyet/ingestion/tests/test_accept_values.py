"""An accepted figure goes through the one writer of results: a period
outside the unit's life is refused there too (#11, "Values")."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from nghiquyet.ingestion.actions import do_accept_suggestion
from nghiquyet.ingestion.models import Suggestion
from nghiquyet.ingestion.tests.test_ingest import ingest, suggestion
from nghiquyet.targets.actions import do_assign_target
from nghiquyet.targets.models import Result


def test_an_accepted_figure_for_a_period_before_the_unit_existed_is_refused(tree, resolution):
    # xã Đức Thọ exists from 01/7/2025: the article's 1.245 cannot be its Quý II/2025 figure.
    source, _ = ingest(unit=tree.province)
    fig = suggestion(source, "figure", lambda s: s.data["value"] == 1245)
    do_assign_target(resolution.new_members, [tree.commune_a], acting_user=None)
    with pytest.raises(
        ValidationError, match="chỉ có hiệu lực từ 01/7/2025: không nhận số liệu kỳ Quý II/2025"
    ):
        do_accept_suggestion(
            fig, acting_user=None, unit=tree.commune_a, target=resolution.new_members, period="Quý II/2025"
        )
    assert not Result.objects.exists()
    fig.refresh_from_db()
    assert fig.status == Suggestion.Status.PENDING
