"""Forms of the portal, one module per noun (pairs.py, activities.py, …)."""

from django.utils.translation import gettext_lazy as _

# The empty choice of a select in the workspace's forms (house vocabulary: "— Chọn —"),
# instead of Django's "---------".
EMPTY_CHOICE = _("— Choose —")
