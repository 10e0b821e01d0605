from django import template

from outcomes import reads
from outcomes.models import Goal
from outcomes.services import may_enter

register = template.Library()


def _goals(pair):
    return list(
        Goal.objects.filter(pair=pair)
        .select_related("indicator")
        .prefetch_related("activities", "donations")
        .order_by("due_year", "pk")
    )


@register.inclusion_tag("outcomes/_pair_section.html", takes_context=True)
def pair_outcomes(context, pair):
    """The pair page's sections on the pair's goals and on the two schools' indicators
    and the gap between them."""
    from programs.models import Pair

    user = context["request"].user
    enter = [side for side in (pair.mentor, pair.mentee) if side.is_school and may_enter(user, side)]
    can_set = pair.status == Pair.Status.ACTIVE and Pair.objects.actionable_by(user).filter(pk=pair.pk).exists()
    health = None
    if pair.status == Pair.Status.ACTIVE:
        from outcomes.health import assess
        from outcomes.models import PairHealth

        mark, reasons = assess([pair])[pair.pk]
        health = PairHealth(pair=pair, mark=mark, reasons=reasons)
    return {
        "pair": pair,
        "health": health,
        "indicators": reads.pair_indicators(pair),
        "goals": _goals(pair),
        "can_set_goals": can_set,
        "enter": enter,
        "request": context["request"],
    }


@register.inclusion_tag("outcomes/_goals.html")
def pair_goals(pair):
    """The pair's goals with their progress and evidence (read only), e.g. on the review."""
    return {"pair": pair, "goals": _goals(pair), "can_set_goals": False}


@register.filter
def health_reasons(health) -> list[str]:
    """The sentences saying why a pair has its health mark."""
    from outcomes.health import reason_text

    return [reason_text(reason) for reason in health.reasons]
