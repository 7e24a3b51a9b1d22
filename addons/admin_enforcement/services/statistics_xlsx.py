"""The statistics report as an official-looking workbook, with xlsxwriter
(shipped with Odoo), without Odoo: a summary sheet of every category with
its totals, then one sheet per category. Each sheet carries the agency and
the period in its merged title; the 行政复议 and 行政诉讼 columns sit under
merged group headers. Texts come in already translated (``labels``)."""
from __future__ import annotations

import io
import re

import xlsxwriter

#: (key in ``labels``, figure getter) of the plain columns after the category.
BASE_COLUMNS = (
    ("cases", lambda f: f.cases),
    ("fines", lambda f: float(f.fine_total)),
    ("hearings", lambda f: f.hearings),
    ("legal_reviews", lambda f: f.legal_reviews),
    ("collective", lambda f: f.collective_decisions),
)
REMEDY_COLUMNS = ("applied", "maintained", "changed", "revoked", "unlawful", "other", "rate")
LABEL_KEYS = (
    "category", "cases", "fines", "hearings", "legal_reviews", "collective", "reconsideration", "litigation",
    *REMEDY_COLUMNS, "zero_reason", "source", "manual", "computed", "total", "summary", "agency", "period", "due",
    "submitted", "not_submitted", "state", "entry_hash",
)
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(name: str, used: set[str]) -> str:
    base = _SHEET_NAME_FORBIDDEN.sub(" ", name)[:31] or "Sheet"
    candidate, n = base, 2
    while candidate in used:
        candidate = f"{base[:28]}({n})"
        n += 1
    used.add(candidate)
    return candidate


def build_workbook(values: dict, labels: dict[str, str]) -> bytes:
    """``values``: the report's output values (title, agency, period, due,
    submitted_at, entry_hash, lines, total and its rates); ``labels``: every
    text of LABEL_KEYS. Returns the .xlsx file."""
    missing = [key for key in LABEL_KEYS if key not in labels]
    if missing:
        raise ValueError(f"labels missing: {missing}")
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    fmt = {
        "title": book.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter",
                                  "font_name": "SimSun"}),
        "meta": book.add_format({"align": "left", "font_name": "SimSun"}),
        "head": book.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter",
                                 "text_wrap": True, "bg_color": "#F2F2F2", "font_name": "SimSun"}),
        "text": book.add_format({"border": 1, "text_wrap": True, "valign": "top", "font_name": "SimSun"}),
        "int": book.add_format({"border": 1, "num_format": "0", "font_name": "SimSun"}),
        "money": book.add_format({"border": 1, "num_format": "#,##0.00", "font_name": "SimSun"}),
        "total_text": book.add_format({"bold": True, "border": 1, "font_name": "SimSun"}),
        "total_int": book.add_format({"bold": True, "border": 1, "num_format": "0", "font_name": "SimSun"}),
        "total_money": book.add_format({"bold": True, "border": 1, "num_format": "#,##0.00", "font_name": "SimSun"}),
    }
    used: set[str] = set()
    _sheet(book, _sheet_name(labels["summary"], used), values, values["lines"], labels, fmt, with_total=True)
    for line in values["lines"]:
        _sheet(book, _sheet_name(line["category"], used), values, [line], labels, fmt, with_total=False)
    book.close()
    return out.getvalue()


def _columns_count():
    return 1 + len(BASE_COLUMNS) + 2 * len(REMEDY_COLUMNS) + 2


def _sheet(book, name, values, lines, labels, fmt, with_total):
    sheet = book.add_worksheet(name)
    last = _columns_count() - 1
    sheet.merge_range(0, 0, 0, last, values["title"], fmt["title"])
    sheet.set_row(0, 30)
    submitted = values.get("submitted_at")
    meta = "    ".join([
        f"{labels['agency']}{values['agency']}",
        f"{labels['period']}{values['period']}",
        f"{labels['due']}{values['due']}",
        f"{labels['submitted']}{submitted:%Y-%m-%d}" if submitted else labels["not_submitted"],
    ])
    sheet.merge_range(1, 0, 1, last, meta, fmt["meta"])
    # Two header rows: plain columns merged over both, remedies under their group.
    head = 2
    sheet.merge_range(head, 0, head + 1, 0, labels["category"], fmt["head"])
    col = 1
    for key, _getter in BASE_COLUMNS:
        sheet.merge_range(head, col, head + 1, col, labels[key], fmt["head"])
        col += 1
    for group in ("reconsideration", "litigation"):
        sheet.merge_range(head, col, head, col + len(REMEDY_COLUMNS) - 1, labels[group], fmt["head"])
        for offset, key in enumerate(REMEDY_COLUMNS):
            sheet.write(head + 1, col + offset, labels[key], fmt["head"])
        col += len(REMEDY_COLUMNS)
    sheet.merge_range(head, col, head + 1, col, labels["zero_reason"], fmt["head"])
    sheet.merge_range(head, col + 1, head + 1, col + 1, labels["source"], fmt["head"])
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, last - 2, 9)
    sheet.set_column(2, 2, 14)
    sheet.set_column(last - 1, last - 1, 36)
    sheet.set_column(last, last, 12)
    sheet.freeze_panes(head + 2, 1)
    row = head + 2
    for line in lines:
        _figures_row(sheet, row, line["category"], line["figures"], line["recon_rate"], line["litig_rate"],
                     fmt, total=False)
        sheet.write(row, last - 1, line["zero_reason"], fmt["text"])
        sheet.write(row, last, labels["manual"] if line["manual"] else labels["computed"], fmt["text"])
        row += 1
    if with_total:
        _figures_row(sheet, row, labels["total"], values["total"], values["total_recon_rate"],
                     values["total_litig_rate"], fmt, total=True)
        sheet.write(row, last - 1, "", fmt["total_text"])
        sheet.write(row, last, "", fmt["total_text"])
        row += 1
    if values.get("entry_hash"):
        sheet.merge_range(row + 1, 0, row + 1, last, f"{labels['entry_hash']}{values['entry_hash']}", fmt["meta"])


def _figures_row(sheet, row, label, figures, recon_rate, litig_rate, fmt, total):
    text, integer, money = (("total_text", "total_int", "total_money") if total else ("text", "int", "money"))
    sheet.write(row, 0, label, fmt[text])
    col = 1
    for key, getter in BASE_COLUMNS:
        sheet.write_number(row, col, getter(figures), fmt[money if key == "fines" else integer])
        col += 1
    for remedy, rate in ((figures.reconsideration, recon_rate), (figures.litigation, litig_rate)):
        for name in REMEDY_COLUMNS[:-1]:
            sheet.write_number(row, col, getattr(remedy, name), fmt[integer])
            col += 1
        sheet.write(row, col, rate, fmt[text])
        col += 1
