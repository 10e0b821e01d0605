from django.conf import settings

from schools.scope import scope_for


def site(request):
    """What every page's header needs: the user's scope (for the menu; access itself is
    checked in the views) and the languages for the switch."""
    return {
        "scope": scope_for(getattr(request, "user", None)),
        "site_languages": settings.LANGUAGES,
    }
