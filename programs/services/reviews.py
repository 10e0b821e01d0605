"""The year-end review (tổng kết năm học) of a pair:

draft → submitted (either side's principal or the office officer writes and submits)
      → forwarded (the office officer sends it on to the department)
      → rated (department staff rate it and may commend the pair, citing activities).

A submitted review can be reopened for changes until it is sent on. Who may do what
is checked by the views through the scope (``Pair.objects.review_writable_by``,
``Review.objects.forwardable_by``/``ratable_by``); these functions keep the states
and the data consistent.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programs import notices
from programs.models import Activity, Pair, Review
from programs.querysets import COUNTED_ACTIVITY_STATUSES
from programs.services import deadlines
from programs.services.locking import lock_status
from twinning.lib.schoolyear import current_school_year, school_year_bounds, school_years_between
from twinning.lib.text import nfc


def review_years(program) -> list[str]:
    """The school years a review may be written for: from the first year of the
    program's phase to the current school year (pairs keep working after a phase)."""
    last = max(int(current_school_year()[:4]), program.start_year)
    return school_years_between(program.start_year, last + 1)


def review_activities(review_or_pair, school_year=None):
    """The pair's reported and confirmed activities of the school year: those a
    commendation may cite."""
    pair = review_or_pair.pair if isinstance(review_or_pair, Review) else review_or_pair
    year = school_year or review_or_pair.school_year
    first, last = school_year_bounds(year)
    return Activity.objects.filter(
        pair=pair, status__in=COUNTED_ACTIVITY_STATUSES, happened_on__gte=first, happened_on__lte=last
    ).order_by("happened_on", "pk")


def _save(review: Review, user) -> None:
    review._history_user = user
    review.full_clean()
    review.save()


@transaction.atomic
def review_save(*, pair: Pair, school_year: str, user, achievements: str, difficulties: str, proposals: str) -> Review:
    """Creates or updates the draft review of ``pair`` for ``school_year``."""
    review = Review.objects.select_for_update().filter(pair=pair, school_year=school_year).first()
    if review is None:
        if pair.status != Pair.Status.ACTIVE:
            raise ValidationError(_("Only an active pair writes a year-end review."))
        if school_year not in review_years(pair.program):
            raise ValidationError(_("A review cannot be written for this school year."))
        review = Review(pair=pair, school_year=school_year, written_by=user)
    elif review.status != Review.Status.DRAFT:
        raise ValidationError(_("This review has been submitted and can no longer be changed."))
    review.achievements = nfc(achievements).strip()
    review.difficulties = nfc(difficulties).strip()
    review.proposals = nfc(proposals).strip()
    _save(review, user)
    return review


@transaction.atomic
def review_submit(*, review: Review, user) -> Review:
    """Hands the draft in: the office can now send it on to the department."""
    lock_status(review)
    if review.status != Review.Status.DRAFT:
        raise ValidationError(_("Only a draft can be submitted."))
    if not review.achievements.strip():
        raise ValidationError({"achievements": _("Write what was achieved before submitting the review.")})
    deadlines.check_hand_in(review, "review")
    review.return_comment = ""  # answered by this hand-in (the history keeps it)
    review.status = Review.Status.SUBMITTED
    review.submitted_by = user
    deadlines.mark_hand_in(review)
    _save(review, user)
    notices.review_submitted(review, user)
    return review


@transaction.atomic
def review_reopen(*, review: Review, user) -> Review:
    """Takes a submitted review back to a draft, for changes, before it is sent on."""
    lock_status(review)
    if review.status != Review.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted review that has not been sent on can be reopened."))
    review.status = Review.Status.DRAFT
    review.submitted_by = None
    review.submitted_at = None
    _save(review, user)
    return review


@transaction.atomic
def review_return(*, review: Review, user, comment: str) -> Review:
    """The office returns a submitted review (the Department one sent on to it) to a
    draft, saying what to correct; the writers are told. Its first hand-in is kept."""
    lock_status(review)
    if review.status not in (Review.Status.SUBMITTED, Review.Status.FORWARDED):
        raise ValidationError(_("Only a submitted review that has not been rated can be returned."))
    comment = nfc(comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say what should be corrected in the review.")})
    review.status = Review.Status.DRAFT
    review.submitted_by, review.submitted_at = None, None
    review.forwarded_by, review.forwarded_at = None, None
    review.returned_by, review.returned_at, review.return_comment = user, timezone.now(), comment
    _save(review, user)
    notices.review_returned(review, user)
    return review


@transaction.atomic
def review_forward(*, review: Review, user) -> Review:
    """The office sends the submitted review on to the department."""
    lock_status(review)
    if review.status != Review.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted review can be sent to the department."))
    review.status = Review.Status.FORWARDED
    review.forwarded_by = user
    review.forwarded_at = timezone.now()
    _save(review, user)
    notices.review_forwarded(review, user)
    return review


@transaction.atomic
def review_rate(
    *,
    review: Review,
    user,
    rating: str,
    rating_comment: str = "",
    commended: bool = False,
    commendation: str = "",
    activities=(),
) -> Review:
    """The department rates a review sent on to it (or changes its rating), and may
    commend the pair for something, citing the activities behind it."""
    lock_status(review)
    if review.status not in (Review.Status.FORWARDED, Review.Status.RATED):
        raise ValidationError(_("Only a review sent to the department can be rated."))
    errors = {}
    if rating not in Review.Rating.values:
        errors["rating"] = _("Choose a rating.")
    commendation = nfc(commendation).strip()
    if commended and not commendation:
        errors["commendation"] = _("Say what the pair is commended for.")
    activities = list(activities) if commended else []
    allowed = set(review_activities(review).values_list("pk", flat=True))
    if any(a.pk not in allowed for a in activities):
        errors["commendation_activities"] = _("Choose activities of this pair in this school year.")
    if errors:
        raise ValidationError(errors)
    review.status = Review.Status.RATED
    review.rating = rating
    review.rating_comment = nfc(rating_comment).strip()
    review.rated_by = user
    review.rated_at = timezone.now()
    review.commended = commended
    review.commendation = commendation if commended else ""
    _save(review, user)
    review.commendation_activities.set(activities)
    return review
