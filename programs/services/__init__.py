"""Workflows that write several models, one module per noun (pairs.py, activities.py,
…): keyword-only, typed functions named <noun>_<verb>, atomic, full_clean() before
save(). Views, admin actions and import resources call the same functions."""
