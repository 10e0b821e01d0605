"""Who exists: administrative areas, organizations (departments, offices, schools,
unions), where they stood over time and the roles users hold in them — one module per noun."""

from schools.models.areas import DATES_IN_ORDER, Area  # noqa: F401
from schools.models.memberships import Membership  # noqa: F401
from schools.models.organizations import Organization, provinces_changed, units_written  # noqa: F401
from schools.models.placements import Placement  # noqa: F401
from schools.models.slugs import _unique_slug  # noqa: F401
