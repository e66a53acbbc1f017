"""Compiled templates kept between builds: Jinja's bytecode cache in ``build/.jinja-cache``, keyed by each
template's name and source, so that a build compiles Material's templates and the handbook's own once, not
once per language and per build (about a second of each language's build). Safe across parallel builds (Jinja
writes each entry whole, by a rename); a changed template gets a new entry."""

from __future__ import annotations

from jinja2 import BytecodeCache, FileSystemBytecodeCache

from handbook.paths import BUILD

FOLDER = BUILD / ".jinja-cache"


def bytecode_cache() -> BytecodeCache | None:
    """The cache, or None where ``build/`` cannot be written (a read-only checkout still builds)."""
    try:
        FOLDER.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(FOLDER))
