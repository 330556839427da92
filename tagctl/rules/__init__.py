"""The lint rules, one module each, and the registry that lists them all.

The registry is explicit: a rule exists when it is listed here. Codes are
stable and unique; `registry()` refuses duplicates.
"""

from __future__ import annotations

from functools import lru_cache

from tagctl.rulekit import CatalogRule, FileRule, Rule
from tagctl.rules.tg001_yaml_syntax import YamlSyntax
from tagctl.rules.tg002_duplicate_key import DuplicateKey
from tagctl.rules.tg003_encoding import Encoding
from tagctl.rules.tg004_not_a_mapping import NotMapping
from tagctl.rules.tg005_file_name import FileName
from tagctl.rules.tg006_folder_category import FolderCategory
from tagctl.rules.tg007_byte_order_mark import ByteOrderMark
from tagctl.rules.tg008_too_complex import TooComplex
from tagctl.rules.tg009_unreadable import Unreadable
from tagctl.rules.tg010_key_order import KeyOrder
from tagctl.rules.tg011_outside_catalog import OutsideCatalog
from tagctl.rules.tg012_no_tag_files import NoTagFiles
from tagctl.rules.tg100_schema import Schema
from tagctl.rules.tg101_required_field import RequiredField
from tagctl.rules.tg102_unknown_field import UnknownField
from tagctl.rules.tg103_wrong_type import WrongType
from tagctl.rules.tg104_invalid_value import InvalidValue
from tagctl.rules.tg105_invalid_format import InvalidFormat
from tagctl.rules.tg106_value_spec import ValueSpec
from tagctl.rules.tg201_name_case import NameCase
from tagctl.rules.tg202_name_pattern import NamePattern
from tagctl.rules.tg203_name_vocabulary import NameVocabulary
from tagctl.rules.tg204_name_window import NameWindow
from tagctl.rules.tg301_unknown_dependency import UnknownDependency
from tagctl.rules.tg302_dependency_cycle import DependencyCycle
from tagctl.rules.tg303_depends_on_deprecated import DependsOnDeprecated
from tagctl.rules.tg304_depends_on_retired import DependsOnRetired
from tagctl.rules.tg305_unknown_replacement import UnknownReplacement
from tagctl.rules.tg306_unknown_category import UnknownCategory
from tagctl.rules.tg307_duplicate_name import DuplicateName
from tagctl.rules.tg401_deprecation_block import DeprecationBlock
from tagctl.rules.tg402_deprecation_incomplete import DeprecationIncomplete
from tagctl.rules.tg403_sunset_passed import SunsetPassed
from tagctl.rules.tg404_deprecated_in_use import DeprecatedInUse
from tagctl.rules.tg410_version_not_bumped import VersionNotBumped
from tagctl.rules.tg411_breaking_without_major import BreakingWithoutMajor
from tagctl.rules.tg412_status_transition import StatusTransition
from tagctl.rules.tg413_new_dependency_on_ended import NewDependencyOnEnded
from tagctl.rules.tg414_removed_without_deprecation import RemovedWithoutDeprecation
from tagctl.rules.tg415_changelog_version import ChangelogVersion
from tagctl.rules.tg416_changed_without_changelog import ChangedWithoutChangelog
from tagctl.rules.tg501_duplicate_display_name import DuplicateDisplayName
from tagctl.rules.tg502_identical_logic import IdenticalLogic
from tagctl.rules.tg503_sensitive_data_owner import SensitiveDataOwner
from tagctl.rules.tg504_placeholder import Placeholder
from tagctl.rules.tg505_short_description import ShortDescription
from tagctl.rules.tg506_logic_missing import LogicMissing
from tagctl.rules.tg507_near_duplicate import NearDuplicate

ALL: tuple[type[Rule], ...] = (
    YamlSyntax,
    DuplicateKey,
    Encoding,
    NotMapping,
    FileName,
    FolderCategory,
    ByteOrderMark,
    TooComplex,
    Unreadable,
    KeyOrder,
    OutsideCatalog,
    NoTagFiles,
    Schema,
    RequiredField,
    UnknownField,
    WrongType,
    InvalidValue,
    InvalidFormat,
    ValueSpec,
    NameCase,
    NamePattern,
    NameVocabulary,
    NameWindow,
    UnknownDependency,
    DependencyCycle,
    DependsOnDeprecated,
    DependsOnRetired,
    UnknownReplacement,
    UnknownCategory,
    DuplicateName,
    DeprecationBlock,
    DeprecationIncomplete,
    SunsetPassed,
    DeprecatedInUse,
    VersionNotBumped,
    BreakingWithoutMajor,
    StatusTransition,
    NewDependencyOnEnded,
    RemovedWithoutDeprecation,
    ChangelogVersion,
    ChangedWithoutChangelog,
    DuplicateDisplayName,
    IdenticalLogic,
    SensitiveDataOwner,
    Placeholder,
    ShortDescription,
    LogicMissing,
    NearDuplicate,
)

__all__ = ["ALL", "CatalogRule", "FileRule", "Rule", "registry"]


@lru_cache(maxsize=1)
def registry() -> dict[str, type[Rule]]:
    """Rule code -> rule class, sorted by code."""
    found: dict[str, type[Rule]] = {}
    for rule in ALL:
        if rule.code in found:
            raise RuntimeError(f"rule code {rule.code} is used twice")
        found[rule.code] = rule
    return dict(sorted(found.items()))
