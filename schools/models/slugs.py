"""Unique slugs for areas and organizations."""


def _unique_slug(model, base: str) -> str:
    base = base[:120]
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug
