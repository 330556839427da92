"""The demo warehouse: a DuckDB file that matches a catalog and exercises every KPI.

`build_demo(tags, out, as_of=...)` writes the seven tables of the warehouse
contract (DESIGN.md section 5) under their default names, with facts
planted for the KPIs to find: coverage from under 0.1% to over 80%, stale
tags, out-of-domain values, zombie tags, campaigns whose treatment converts
better for a few tags, tags whose holders convert more, and redundant tags
(one audience twice, a tag inside another, an enum value that is a tag).
The returned `DemoSummary` names them.
"""

from tagctl.demo.build import LAYOUTS, DemoSummary, build_demo

__all__ = ["LAYOUTS", "DemoSummary", "build_demo"]
