"""Exploring and growing the catalog: listing, search, dependencies, export, new tags.

Everything here works on the `Tag` records of `tagctl.catalog.tags` and
returns data; `tagctl.formats` renders it and the commands of `tagctl.cli.explore`
only parse flags. Nothing in this package prints.
"""
