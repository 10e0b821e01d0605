"""Forms of the portal, one module per noun (pairs.py, activities.py, …)."""
