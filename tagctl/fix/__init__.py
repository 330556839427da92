"""`tagctl lint --fix`: the unambiguous repairs of lint problems, made in place.

A rule offers a repair by setting `fixable` and returning a declarative
`Fix` from `fix()` (see `tagctl.rulekit`); `run.Fixer` carries the fixes
out on the files a lint run found problems in (`tagctl.edit.fixes`),
re-validates each result and writes it through the editor's commit pipeline
(`tagctl.edit.apply`), with its guarantees: only what must change changes,
and a second run changes nothing.
"""
