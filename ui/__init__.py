"""Presentation helpers shared by every app: the bottom layer, below accounts and audit.

A plain Python package (not a Django app): it holds no models, no URLs and no rules, only the
generic ways the pages show things, so that an app in any layer may use them without depending on
another app. `forms` (the form renderer and the Dutch empty choice), `tables` (a table of figures
and its cell formats), `charts` (SVG charts of a table's figures), `exports` (a table as CSV or
XLSX download) and `templatetags` (registered as the template library "ui" in settings.TEMPLATES).
"""
