"""The demo warehouse: a DuckDB file that matches a catalog and exercises every KPI.

`build_demo(tags, out, as_of=...)` writes the eight tables of the warehouse
contract (DESIGN.md section 5) under their default names, with facts
planted for the KPIs to find: coverage from under 0.1% to over 80%, stale
tags, out-of-domain values, zombie tags, campaigns whose treatment converts
better for a few tags and for one combination of two of them, a tag whose
campaigns' treatment converts sooner, tags whose holders convert more, a
tag whose holders buy bigger baskets, a cost for every campaign, and
redundant tags (one audience twice, a tag inside another, an enum value
that is a tag). The returned `DemoSummary` names them.
"""

from tagctl.demo.build import LAYOUTS, DemoSummary, build_demo

__all__ = ["LAYOUTS", "DemoSummary", "build_demo"]
