"""SARIF 2.1.0 for code-scanning services."""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any, TextIO

import tagctl
from tagctl.lint.result import LintResult
from tagctl.rulekit import Rule
from tagctl.rules import registry

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "off": "none"}


def as_sarif(result: LintResult) -> dict[str, Any]:
    rules = registry()
    codes = list(rules)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "tagctl",
                        "version": tagctl.__version__,
                        "semanticVersion": tagctl.__version__,
                        "informationUri": "https://github.com/tagctl/tagctl",
                        "rules": [_descriptor(cls) for cls in rules.values()],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [
                    {
                        "ruleId": v.code,
                        "ruleIndex": codes.index(v.code),
                        "level": _LEVEL.get(v.severity, "note"),
                        "message": {"text": v.message + (f" (hint: {v.hint})" if v.hint else "")},
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": {"uri": PurePath(v.path).as_posix()},
                                    "region": {"startLine": v.line, "startColumn": v.column},
                                }
                            }
                        ],
                        "partialFingerprints": {
                            "tagctl/v1": f"{v.rel or v.path}|{v.code}|{v.json_path}",
                        },
                    }
                    for v in result.violations
                ],
            }
        ],
    }


def _descriptor(cls: type[Rule]) -> dict[str, Any]:
    doc = cls.documentation()
    return {
        "id": cls.code,
        "name": cls.name,
        "shortDescription": {"text": cls.summary()},
        "fullDescription": {"text": doc},
        "help": {"text": f"{doc}\n\nFix: {cls.hint}"},
        "defaultConfiguration": {"level": _LEVEL.get(cls.severity, "warning")},
    }


def render_sarif(result: LintResult, stream: TextIO) -> None:
    json.dump(as_sarif(result), stream, ensure_ascii=False, indent=2)
    stream.write("\n")
