#!/usr/bin/env python3
"""Turns a CSV export (e.g. from gen_export.py) into a workbook shaped like the ones ImportExcel's
Export-Excel (EPPlus) and Excel write: sheet `Sheet1`, headers in row 1, every text in the
shared-strings table, True/False as real booleans, no cell for an empty field. For benchmarks of
workbook input; the parts are written directly, so a sheet at Excel's row limit takes a minute.

    python3 scripts/csv_to_xlsx.py /tmp/users-1m.csv /tmp/users-1m.xlsx [--rows N]

Excel holds at most 1,048,576 rows per sheet: --rows caps the data rows (default: all that fit).
"""

import argparse
import csv
import sys
import zipfile
from xml.sax.saxutils import escape

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"""
RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"""


def col_name(c):
    s = ""
    c += 1
    while c:
        c, r = divmod(c - 1, 26)
        s = chr(65 + r) + s
    return s


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("csv")
    ap.add_argument("xlsx")
    ap.add_argument("--rows", type=int, default=1_048_575)
    a = ap.parse_args()
    strings = {}
    ordered = []
    with open(a.csv, encoding="utf-8-sig", newline="") as f, \
            zipfile.ZipFile(a.xlsx, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        rows = csv.reader(l for l in f if not l.startswith("#TYPE"))
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                        b'<sheetData>')
            n = -1
            names = None
            for row in rows:
                if n == a.rows:
                    break
                n += 1
                if names is None or len(row) > len(names):
                    names = [col_name(c) for c in range(len(row))]
                r = n + 1
                cells = []
                for c, v in enumerate(row):
                    if v == "":
                        continue
                    ref = f"{names[c]}{r}"
                    if n > 0 and v in ("True", "False"):
                        cells.append(f'<c r="{ref}" t="b"><v>{1 if v == "True" else 0}</v></c>')
                        continue
                    i = strings.get(v)
                    if i is None:
                        i = strings[v] = len(ordered)
                        ordered.append(v)
                    cells.append(f'<c r="{ref}" t="s"><v>{i}</v></c>')
                sheet.write(f'<row r="{r}">{"".join(cells)}</row>'.encode())
            sheet.write(b"</sheetData></worksheet>")
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as sst:
            sst.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                      f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                      f'uniqueCount="{len(ordered)}">'.encode())
            for s in ordered:
                sst.write(f"<si><t>{escape(s)}</t></si>".encode())
            sst.write(b"</sst>")
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
    print(f"{n} data rows, {len(ordered)} distinct strings", file=sys.stderr)


if __name__ == "__main__":
    main()
