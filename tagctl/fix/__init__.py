"""`tagctl lint --fix`: the unambiguous repairs of lint problems, made in place.

A rule offers a repair by setting `fixable` and implementing `fix()` (see
`tagctl.rules.base`); `run.Fixer` applies them to the files a lint run
found problems in, re-validates each result and writes it atomically, with
the guarantees of the in-place editor (`tagctl.edit`): only what must
change changes, and a second run changes nothing. `reorder` moves
top-level entries of a YAML file into a key order.
"""
