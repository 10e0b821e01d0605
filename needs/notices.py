"""Who is told about a need (notifications.services.notify): the people who may pledge
when it is posted, the helped side when support is pledged, the pledging unit's people
when it arrived. Candidates are the people of the pair (programs.notices.candidates),
kept when the rule of the step gives them the need or pledge."""

from django.urls import reverse

from needs.models import Need, Pledge
from notifications.models import Notification
from notifications.services import notify
from programs.notices import candidates, pair_name
from schools.models import Membership

Kind = Notification.Kind


def _subject(need) -> str:
    return f"{need.title} – {pair_name(need.pair)}"


def _link(need) -> str:
    return reverse("needs:need-detail", kwargs={"code": need.code})


def need_posted(need, actor):
    users = [
        user
        for user in candidates(need.pair)
        if user.pk != actor.pk and Need.objects.pledgeable_by(user).filter(pk=need.pk).exists()
    ]
    notify(Kind.NEED_POSTED, users, subject=_subject(need), link=_link(need))


def need_pledged(pledge, actor):
    users = [
        user
        for user in candidates(pledge.need.pair)
        if user.pk != actor.pk and Pledge.objects.receivable_by(user).filter(pk=pledge.pk).exists()
    ]
    notify(Kind.NEED_PLEDGED, users, subject=_subject(pledge.need), link=_link(pledge.need))


def need_received(pledge, actor):
    held = Membership.objects.current().filter(organization=pledge.donor_org).select_related("user")
    users = [m.user for m in held if m.user_id != actor.pk]
    notify(Kind.NEED_RECEIVED, users, subject=_subject(pledge.need), link=_link(pledge.need))
