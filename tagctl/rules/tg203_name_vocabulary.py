from __future__ import annotations

import difflib
from collections.abc import Iterator

from tagctl.rulekit import FileRule, LintContext, Problem, TagFile


class NameVocabulary(FileRule):
    """A word of the tag name is not in the controlled vocabulary.

    The name has the right shape, but one of its words (an action, an
    object, a window...) is not listed under `naming.vocabularies` in
    tagctl.yaml. Controlled vocabularies keep `buy_`, `purchase_` and
    `order_` from meaning the same thing in three tags. Either use a listed
    word or add the new word to the vocabulary in the same change, where
    reviewers will see it.

    Bad: `purchse_serum_30d` (did you mean `purchase`?).
    """

    code = "TG203"
    name = "name-vocabulary"
    hint = "use a word from the vocabulary, or add the word to tagctl.yaml"

    def check(self, tag: TagFile, ctx: LintContext) -> Iterator[Problem]:
        name, kind = tag.text("name"), tag.text("type")
        if name is None or kind is None:
            return
        verdict = ctx.names.match(kind, name)
        if verdict is None or verdict.ok or not verdict.shape_ok:
            return
        words = ctx.config.naming.vocabularies.get(verdict.vocabulary, ())
        close = difflib.get_close_matches(verdict.bad_word, words, n=1)
        hint = (
            f"did you mean '{close[0]}'?"
            if close
            else (f"add '{verdict.bad_word}' to naming.vocabularies.{verdict.vocabulary}")
        )
        yield Problem(
            f"'{verdict.bad_word}' is not in the vocabulary '{verdict.vocabulary}'",
            ("name",),
            hint=hint,
        )
