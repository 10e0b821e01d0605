"""What happens: programs (movements), twinning pairs, memoranda, working groups,
plans, exchange activities, donations and year-end reviews — one module per noun."""

from programs.models.access import PrivateNoteAccess  # noqa: F401
from programs.models.activities import Activity, ActivityPhoto  # noqa: F401
from programs.models.donations import Donation  # noqa: F401
from programs.models.memoranda import Memorandum, Signatory, WorkingGroup, WorkingGroupMember, _scan_validator  # noqa: F401
from programs.models.pairs import Pair  # noqa: F401
from programs.models.plans import Plan, PlanItem  # noqa: F401
from programs.models.programs import ActivityKind, Program  # noqa: F401
from programs.models.reviews import ReportingCalendar, Review  # noqa: F401

# The version of the figures kept in the cache (programs/reports/cache.py).
from programs.reports.cache import FiguresVersion  # noqa: E402, F401

# Each pair's figures per school year, kept by the writes above (programs/summaries.py).
from programs.summaries import PairLatestActivity, PairYear  # noqa: E402, F401
