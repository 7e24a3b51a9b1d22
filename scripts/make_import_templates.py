"""Writes the Excel (.xlsx) import templates from the CSV ones.

Usage (from the repo root): .venv/bin/python scripts/make_import_templates.py

The CSV templates in addons/admin_enforcement/static/templates/ are the one
source: each gets an .xlsx twin with the same header (the field paths the
import dialog maps automatically) and rows. Dates are written as real date
cells and numeric columns as numbers, as a bureau's own spreadsheet would
have them; codes, certificate numbers and phone numbers stay text so Excel
does not drop leading zeros or show them in scientific notation. The
workbook's creation time is fixed, so rerunning the script gives the same
bytes and a changed binary in a diff always means a changed template.
"""

import csv
import datetime
from pathlib import Path

import xlsxwriter

TEMPLATES = Path(__file__).resolve().parents[1] / "addons" / "admin_enforcement" / "static" / "templates"
# CSV template -> sheet name (what the bureau sees on the tab).
SOURCES = {
    "enforcement_officers_certificates.csv": "执法人员及执法证",
    "enforcement_matters.csv": "执法事项",
    "enforcement_inspection_parties.csv": "检查对象名录库",
}
DATE_FIELDS = {"valid_from", "valid_to", "effective_from", "effective_to"}
NUMBER_FIELDS = {"is_random_inspection", "inspection_ratio"}
FIXED_CREATION_TIME = datetime.datetime(2026, 1, 1)


def write_xlsx(csv_path: Path, xlsx_path: Path, sheet_name: str) -> None:
    with csv_path.open(encoding="utf-8", newline="") as handle:
        header, *rows = csv.reader(handle)
    leaves = [column.rsplit("/", 1)[-1] for column in header]
    workbook = xlsxwriter.Workbook(str(xlsx_path))
    workbook.set_properties({"created": FIXED_CREATION_TIME})
    bold = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
    date = workbook.add_format({"num_format": "yyyy-mm-dd"})
    text = workbook.add_format({"num_format": "@"})
    sheet = workbook.add_worksheet(sheet_name)
    sheet.freeze_panes(1, 0)
    for col, title in enumerate(header):
        sheet.write_string(0, col, title, bold)
        widest = max([len(title)] + [2 * len(row[col]) for row in rows if col < len(row)])
        sheet.set_column(col, col, min(max(widest, 10), 60), date if leaves[col] in DATE_FIELDS else text)
    for rowx, row in enumerate(rows, 1):
        for col, value in enumerate(row):
            if not value:
                continue
            if leaves[col] in DATE_FIELDS:
                sheet.write_datetime(rowx, col, datetime.datetime.strptime(value, "%Y-%m-%d"), date)
            elif leaves[col] in NUMBER_FIELDS:
                sheet.write_number(rowx, col, float(value))
            else:
                sheet.write_string(rowx, col, value, text)
    workbook.close()


def main() -> None:
    for name, sheet_name in SOURCES.items():
        source = TEMPLATES / name
        target = source.with_suffix(".xlsx")
        write_xlsx(source, target, sheet_name)
        print(f"wrote {target.relative_to(TEMPLATES.parents[3])}")


if __name__ == "__main__":
    main()
