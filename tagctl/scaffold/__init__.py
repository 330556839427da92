"""Starting a new catalog from a packaged template (`tagctl init`).

The templates are plain files under `templates/`, copied as they are; see
`templates/index.yaml` for the list and `templates.py` for how it is read.
"""
