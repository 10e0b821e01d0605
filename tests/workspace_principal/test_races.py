"""Concurrent workflow steps have exactly one winner (PostgreSQL, real connections):
the partner confirming while the reporting school withdraws the same activity."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from programs.models import Activity
from programs.services import activities as service
from tests import factories as f
from tests.workspace_principal.conftest import DAY

pytestmark = pytest.mark.django_db(transaction=True)


def race(*steps):
    """Runs each step(activity) in its own thread and connection at the same moment;
    returns what each gave (the activity, or the refusal's message)."""
    barrier = threading.Barrier(len(steps))
    outcomes = [None] * len(steps)

    def run(i, step):
        try:
            barrier.wait()
            outcomes[i] = step()
        except ValidationError as refused:
            outcomes[i] = " ".join(refused.messages)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, step)) for i, step in enumerate(steps)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_confirm_and_withdraw_at_the_same_moment_have_one_winner(cast):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections (PostgreSQL)")
    for attempt in range(10):
        activity = f.activity(
            cast.taymo_md,
            title=f"Chuyên đề {attempt}",
            happened_on=DAY,
            status="reported",
            reported_by_org=cast.taymo,
            created_by=cast.users.principal_taymo,
        )
        outcomes = race(
            lambda pk=activity.pk: service.activity_confirm(
                activity=Activity.objects.get(pk=pk), user=cast.users.principal_md
            ),
            lambda pk=activity.pk: service.activity_withdraw(
                activity=Activity.objects.get(pk=pk), user=cast.users.principal_taymo
            ),
        )
        winners = [o for o in outcomes if isinstance(o, Activity)]
        losers = [o for o in outcomes if isinstance(o, str)]
        assert len(winners) == 1 and len(losers) == 1, outcomes
        activity.refresh_from_db()
        assert activity.status == winners[0].status in (Activity.Status.CONFIRMED, Activity.Status.DRAFT)
        assert "trước đó" in losers[0] or "Chỉ" in losers[0], losers
