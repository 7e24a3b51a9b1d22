"""Lists the addon's terms that have no zh_CN translation yet, and merges
filled translations back into i18n/zh_CN.po.

Usage (from the repo root):

    .venv/bin/python scripts/i18n_missing.py > /tmp/missing.po
        Installs admin_enforcement (with demo data, as the Odoo tests do) on a
        throwaway database, exports its terms with Odoo's own exporter
        (odoo-bin --i18n-export) and prints every term that zh_CN.po does not
        translate as a ready-to-fill .po file, with the export's `#:` references.
        Progress goes to stderr; the exit code is 0 either way.

    .venv/bin/python scripts/i18n_missing.py --merge /tmp/missing.po
        Adds the filled entries of that file to zh_CN.po: new msgids are
        appended at the end, an existing entry with an empty msgstr is filled
        in place, an existing translation is never overwritten (a different one
        is reported). Entries still empty are skipped. Nothing is written when a
        translation drops or invents a placeholder (%(name)s, %s, {name}) or an
        HTML tag, or when the result does not pass `msgfmt -c`.

    .venv/bin/python scripts/i18n_missing.py --check
        Checks all of zh_CN.po the same way (placeholders and tags, duplicate
        msgids, msgfmt -c) without installing anything; exit code 1 on a problem.

    .venv/bin/python scripts/i18n_missing.py --add-uses
        A translation reaches a menu, field, selection or view only through
        the `#:` references of its entry, and a message in code only through
        `#. odoo-python` (or odoo-javascript): the same English text used in a
        new place needs the new reference. This adds the references and
        comments the export has and zh_CN.po lacks to the translated entries.

    --export-file FILE  compare against an export made earlier instead of
                        installing the addon again (quick rerun)
    --save-export FILE  keep the export this run makes

Terms that are in zh_CN.po but no longer in the export are kept: other
engineers may be adding the code that uses them.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import polib
from odoo.tools.translate import TRANSLATED_ATTRS

sys.path.insert(0, str(Path(__file__).resolve().parent / "lib"))
from stack import VAR, Odoo, Postgres  # noqa: E402

MODULE = "admin_enforcement"
LANGUAGE = "zh_CN"
CATALOGUE = Path(__file__).resolve().parents[1] / "addons" / MODULE / "i18n" / f"{LANGUAGE}.po"

PYTHON_FORMAT = re.compile(r"%(?:\((?P<name>[^)]*)\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[sdifrxXeEgGcoa%]")
BRACE_FIELD = re.compile(r"\{\{?[^{}]*\}?\}")
HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
# values of attributes Odoo translates (title, aria-label...) may differ inside a tag
TRANSLATED_ATTRIBUTE = re.compile(
    r'\s(?:%s)="[^"]*"' % "|".join(re.escape(name) for name in sorted(TRANSLATED_ATTRS, key=len, reverse=True)))
UNREADABLE_SOURCE = re.compile(r"Failed to extract terms from (\S+)")


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def export_terms(target: Path) -> list[str]:
    """Install the addon on a throwaway database and export its terms to
    `target`; returns the source files whose terms the exporter could not read."""
    pg = Postgres(datadir=VAR / "dev-test" / "pg", durable=False)
    pg.start()
    db = f"enforcement_i18n_{os.getpid()}_{int(time.time())}"
    rundir = VAR / "dev-test" / f"i18n-{os.getpid()}"
    odoo = Odoo(pg=pg, db=db, rundir=rundir)
    odoo.write_conf()
    try:
        say(f"installing {MODULE} into {db} (1-3 minutes)...")
        steps = [
            ("installing", ["-i", MODULE]),
            # without --language the export is the template (msgids and references): the
            # language need not be loaded into the throwaway database, and its terms are the same
            ("exporting", [f"--i18n-export={target}", f"--modules={MODULE}"]),
        ]
        for what, args in steps:
            done = subprocess.run(
                odoo.odoo_cmd("-c", str(odoo.conf), "-d", db, *args, "--stop-after-init",
                              "--logfile=", "--log-level=warn"),
                env=odoo.env(), capture_output=True, text=True)
            if done.returncode != 0 or (what == "exporting" and not target.exists()):
                raise SystemExit(f"{what} {MODULE} failed (exit {done.returncode}):\n{done.stderr[-4000:]}")
            errors = [line for line in done.stderr.splitlines() if " ERROR " in line]
            if errors:
                say(f"warning: Odoo logged errors while {what}:\n" + "\n".join(errors[:10]))
        return UNREADABLE_SOURCE.findall(done.stderr)
    finally:
        pg.drop_database(db)
        shutil.rmtree(rundir, ignore_errors=True)


def translated_msgids(catalogue: polib.POFile) -> set[str]:
    return {e.msgid for e in catalogue if e.msgid and e.msgstr.strip() and not e.obsolete}


def missing_entries(export: polib.POFile, catalogue: polib.POFile) -> list[polib.POEntry]:
    done = translated_msgids(catalogue)
    missing = []
    for entry in export:
        if entry.msgid.strip() and entry.msgid not in done and not entry.obsolete:
            missing.append(polib.POEntry(
                msgid=entry.msgid, msgstr="", comment=entry.comment,
                occurrences=entry.occurrences, flags=entry.flags))
    return missing


CODE_COMMENTS = ("odoo-python", "odoo-javascript")


def unreached_uses(export: polib.POFile, catalogue: polib.POFile) -> dict[str, tuple[list[str], list[str]]]:
    """Translated msgids that Odoo would still show in English somewhere:
    a record term (menu, field, selection, view) is loaded only for the
    records the entry's `#:` references name, and a term in code only when
    the entry carries `#. odoo-python` / `#. odoo-javascript` and a `#: code:`
    reference. Returns, per
    msgid, the references and code comments its entry lacks."""
    translated = {e.msgid: e for e in catalogue if e.msgid and e.msgstr.strip() and not e.obsolete}
    lacking = {}
    for entry in export:
        current = translated.get(entry.msgid)
        if current is None or entry.obsolete:
            continue
        have = {ref for ref, _line in current.occurrences}
        references = [ref for ref, _line in entry.occurrences if not ref.startswith("code:") and ref not in have]
        # Odoo 18 loads a code translation only from an entry with a `code:`
        # reference (odoo/tools/translate.py, _read_code_translations_file);
        # one is enough, whichever file it names.
        code_refs = [f"{ref}:{line}" if line else ref for ref, line in entry.occurrences if ref.startswith("code:")]
        if code_refs and not any(ref.startswith("code:") for ref in have):
            references.insert(0, code_refs[0])
        comments = [c for c in CODE_COMMENTS if c in entry.comment.split("\n") and c not in current.comment.split("\n")]
        if references or comments:
            lacking[entry.msgid] = (references, comments)
    return lacking


def add_uses(lacking: dict[str, tuple[list[str], list[str]]]) -> int:
    """Add the missing references and code comments to zh_CN.po's entries,
    in place (the rest of the file is left as it is)."""
    original = CATALOGUE.read_text(encoding="utf-8")
    lines = original.splitlines(keepends=True)
    catalogue = polib.pofile(original)
    insertions = []
    for entry in catalogue:
        if entry.obsolete or entry.msgid not in lacking:
            continue
        references, comments = lacking[entry.msgid]
        at = entry.linenum - 1  # the entry's first line
        while lines[at].startswith("#. module"):
            at += 1  # Odoo reads the module from the start of the first comment
        insertions.append((at, [f"#. {c}\n" for c in comments] + [f"#: {r}\n" for r in references]))
    for at, new_lines in sorted(insertions, reverse=True):
        lines[at:at] = new_lines
    CATALOGUE.write_text("".join(lines), encoding="utf-8")
    say(f"added the uses of {len(insertions)} translated terms to {CATALOGUE}")
    return 0


def new_po(entries: list[polib.POEntry]) -> polib.POFile:
    po = polib.POFile(wrapwidth=78)
    po.metadata = {
        "Project-Id-Version": "Odoo Server 18.0",
        "Language": LANGUAGE,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=1; plural=0;",
    }
    for entry in entries:
        po.append(entry)
    return po


def placeholder_problems(msgid: str, msgstr: str) -> list[str]:
    """What a translation loses or invents compared to its source: Odoo formats
    the translated text with the source's arguments and keeps the term's markup."""
    problems = []

    def python_format(text):
        matches = [m for m in PYTHON_FORMAT.finditer(text) if m.group() != "%%"]
        return ([m.group() for m in matches if m.group("name") is None],
                Counter(m.group() for m in matches if m.group("name") is not None))

    src_positional, src_named = python_format(msgid)
    dst_positional, dst_named = python_format(msgstr)
    # only a source that formats at all is checked: "100%" in prose is not a placeholder
    if (src_positional or src_named) and (src_positional != dst_positional or src_named != dst_named):
        problems.append(f"python-format {src_positional + sorted(src_named)} became "
                        f"{dst_positional + sorted(dst_named)}")
    for what, pattern in (("placeholders", BRACE_FIELD), ("HTML tags", HTML_TAG)):
        src, dst = (Counter(TRANSLATED_ATTRIBUTE.sub("", found) for found in pattern.findall(text))
                    for text in (msgid, msgstr))
        if src != dst:
            problems.append(f"{what} {sorted(src.elements())} became {sorted(dst.elements())}")
    return problems


def msgfmt_errors(path: Path) -> str | None:
    """msgfmt's complaint about a .po file, or None when it is valid (polib
    parsing stands in when gettext is not installed)."""
    if shutil.which("msgfmt"):
        done = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        return (done.stderr.strip() or "msgfmt failed") if done.returncode else None
    try:
        polib.pofile(str(path))
    except Exception as exc:  # polib raises IOError/ValueError subclasses on syntax errors
        return str(exc)
    return None


def format_entry(entry: polib.POEntry) -> str:
    return entry.__unicode__(wrapwidth=78)


def check_catalogue() -> int:
    catalogue = polib.pofile(str(CATALOGUE))
    problems = [f"{e.msgid!r}: {problem}" for e in catalogue if e.msgstr and not e.obsolete
                for problem in placeholder_problems(e.msgid, e.msgstr)]
    problems += [f"{msgid!r} appears {n} times" for msgid, n in Counter(
        e.msgid for e in catalogue if not e.obsolete).items() if n > 1]
    invalid = msgfmt_errors(CATALOGUE)
    if invalid:
        problems.append(invalid)
    for problem in problems:
        say(problem)
    say(f"{CATALOGUE}: {len(catalogue)} entries, {len(problems)} problems")
    return 1 if problems else 0


def merge(fragment_path: Path) -> int:
    fragment = polib.pofile(str(fragment_path))
    filled = [e for e in fragment if e.msgid and e.msgstr.strip() and not e.obsolete]
    unfilled = [e for e in fragment if e.msgid and not e.msgstr.strip()]

    bad = [(e.msgid, p) for e in filled for p in placeholder_problems(e.msgid, e.msgstr)]
    if bad:
        for msgid, problem in bad:
            say(f"{msgid!r}: {problem}")
        say(f"nothing merged: {len(bad)} translations do not keep their source's placeholders/tags")
        return 1
    duplicates = [m for m, n in Counter(e.msgid for e in filled).items() if n > 1]
    if duplicates:
        say("nothing merged: the fragment translates these msgids twice:\n" + "\n".join(duplicates))
        return 1

    original = CATALOGUE.read_text(encoding="utf-8")
    catalogue = polib.pofile(original)
    existing = {e.msgid: e for e in catalogue if not e.obsolete}
    lines = original.splitlines(keepends=True)
    to_append, filled_in_place, conflicts = [], 0, []
    for entry in filled:
        current = existing.get(entry.msgid)
        if current is None:
            to_append.append(entry)
        elif not current.msgstr.strip():
            # the msgstr "" line follows the msgid lines of the entry that polib located
            index = next(i for i in range(current.linenum - 1, len(lines)) if lines[i].startswith("msgstr"))
            end = index + 1
            while end < len(lines) and lines[end].startswith('"'):
                end += 1
            lines[index:end] = [line + "\n" for line in entry._str_field("msgstr", "", "", entry.msgstr, 78)]
            filled_in_place += 1
        elif current.msgstr != entry.msgstr:
            conflicts.append(f"{entry.msgid!r}: kept {current.msgstr!r}, not {entry.msgstr!r}")

    appended = "".join("\n" + format_entry(e) for e in to_append)
    merged = "".join(lines)
    if not merged.endswith("\n"):
        merged += "\n"
    merged += appended

    with tempfile.TemporaryDirectory() as tmp:
        candidate = Path(tmp) / "zh_CN.po"
        candidate.write_text(merged, encoding="utf-8")
        problem = msgfmt_errors(candidate)
        if problem:
            before = Path(tmp) / "before.po"
            before.write_text(original, encoding="utf-8")
            if not msgfmt_errors(before):
                say(f"nothing merged: the result would not be a valid .po file:\n{problem}")
                return 1
            say(f"warning: zh_CN.po was already invalid before this merge:\n{problem}")

    # others append to the file while we work: write only if it did not change since we read it
    if CATALOGUE.read_text(encoding="utf-8") != original:
        say("zh_CN.po changed while merging; run the merge again")
        return 1
    if filled_in_place:
        CATALOGUE.write_text(merged, encoding="utf-8")
    elif appended:
        with CATALOGUE.open("a", encoding="utf-8") as out:
            out.write(("" if original.endswith("\n") else "\n") + appended)

    for conflict in conflicts:
        say(f"kept existing translation: {conflict}")
    say(f"merged {len(to_append)} new and {filled_in_place} filled-in translations into {CATALOGUE}; "
        f"{len(conflicts)} already translated differently, {len(unfilled)} left empty in the fragment")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--merge", type=Path, metavar="FILE", help="merge a filled fragment into zh_CN.po")
    parser.add_argument("--export-file", type=Path, metavar="FILE", help="use this export instead of making one")
    parser.add_argument("--save-export", type=Path, metavar="FILE", help="keep the export made by this run")
    parser.add_argument("--check", action="store_true", help="check zh_CN.po's placeholders, tags and syntax")
    parser.add_argument("--add-uses", action="store_true",
                        help="add to translated entries the references and code comments the export has")
    options = parser.parse_args()
    if options.check:
        return check_catalogue()
    if options.merge:
        return merge(options.merge)

    unreadable = []
    if options.export_file:
        export = polib.pofile(str(options.export_file))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / f"{MODULE}.po"
            unreadable = export_terms(target)
            if options.save_export:
                shutil.copyfile(target, options.save_export)
            export = polib.pofile(str(target))
    catalogue = polib.pofile(str(CATALOGUE))
    lacking = unreached_uses(export, catalogue)
    if options.add_uses:
        return add_uses(lacking)
    missing = missing_entries(export, catalogue)
    terms = sum(1 for e in export if e.msgid.strip())
    say(f"{terms} terms exported, {len(missing)} without a zh_CN translation")
    if lacking:
        say(f"{len(lacking)} translated terms are not used everywhere they appear (e.g. {next(iter(lacking))!r}): "
            "run again with --add-uses")
    if missing:
        print(new_po(missing), end="")
    for path in unreadable:
        # Babel (Odoo's extractor) evaluates every string literal among _()'s
        # arguments; an f-string there makes it give up on the whole file
        say(f"warning: NONE of the terms of {path} were exported (Odoo could not extract them; "
            "look for an f-string among the arguments of a _() call)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
