"""The glossary's Chinese terms as whole words for jieba: used by the glossary links (handbook.pages.site) and
the terminology checker (handbook.model.terminology), which must cut Chinese the same way."""

from __future__ import annotations

from handbook.model.models import Handbook


def teach_jieba(hb: Handbook):
    """Add the glossary's Chinese terms to jieba's dictionary (once per process); jieba, or None.

    The glossary links rely on it (a term is linked only where it is a whole word). The search does not
    use jieba: it cuts Han text into character pairs (overrides/assets/search/tokenize.js).
    """
    try:
        import jieba
    except ImportError:
        return None
    if not getattr(jieba, "_handbook_terms", False):
        import logging

        jieba.setLogLevel(logging.WARNING)  # not its "Building prefix dict…" lines in every build's output
        for term in hb.glossary.terms:
            for word in [term.zh, *term.aliases]:
                if 2 <= len(word) <= 12:
                    jieba.add_word(word, freq=20000)
        jieba._handbook_terms = True
    return jieba
