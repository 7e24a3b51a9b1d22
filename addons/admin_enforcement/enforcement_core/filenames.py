"""File names that are safe to store and to extract on Windows and Unix.

A file name given with an upload becomes a member name of the exported case
file (案卷), which bureaus open on Windows: it must be one plain name, not a
path, and nothing a Windows or Unix extractor would treat specially.
:func:`name_problem` says what is wrong, as a code the caller words.
"""

from __future__ import annotations

import unicodedata

#: Device names Windows reserves in every directory, with or without an extension.
WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
)
#: Characters Windows refuses in a name; / and \ also separate paths.
FORBIDDEN_CHARACTERS = frozenset('<>:"/\\|?*')
#: Control, format (bidirectional overrides that disguise an extension) and line/paragraph separators.
FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
#: Most file systems allow 255 bytes per name.
MAX_NAME_BYTES = 255


def name_problem(name: str) -> tuple[str, str] | None:
    """``(code, detail)`` of what makes ``name`` unsafe, or None if it is a plain file name.

    Codes: ``empty``, ``dots`` (``.`` or ``..``), ``separator`` (detail: the
    character), ``forbidden`` (detail: the character), ``control`` (detail:
    the code point as U+XXXX), ``reserved`` (detail: the device name),
    ``trailing`` (a dot or space at the end, which Windows drops),
    ``too_long``.
    """
    if not name:
        return ("empty", "")
    if name in (".", ".."):
        return ("dots", name)
    for char in name:
        if char in "/\\":
            return ("separator", char)
        if unicodedata.category(char) in FORBIDDEN_CATEGORIES:
            return ("control", f"U+{ord(char):04X}")
        if char in FORBIDDEN_CHARACTERS:
            return ("forbidden", char)
    if name[-1] in ". ":
        return ("trailing", name[-1])
    stem = name.split(".", 1)[0].rstrip(" ").upper()
    if stem in WINDOWS_RESERVED:
        return ("reserved", stem)
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        return ("too_long", str(MAX_NAME_BYTES))
    return None


def member_path_problem(path: str) -> tuple[str, str] | None:
    """What makes an archive member path unsafe: each ``/``-separated part must be a plain file name."""
    for part in path.split("/"):
        problem = name_problem(part)
        if problem is not None:
            return problem
    return None
