#!/usr/bin/env python3
"""Writes small XLSX workbooks in shapes that change the count if read naively.

Usage: make_workbook_fixtures.py OUT_DIR

Only the standard library is used, so the tests can run it anywhere; the sheet XML follows what
the writers really produce:

- openpyxl 3.1.5 (`Workbook().append`, `wb.save`): strings as inline strings
  (`<c t="inlineStr"><is><t>..</t></is></c>`), booleans as `<c t="b"><v>0</v></c>`, and a
  value starting with `=` as a formula with an empty cached value: `<c><f>..</f><v /></c>`.
  openpyxl never calculates, so the result is missing until Excel opens and saves the file.
- ImportExcel's Export-Excel (EPPlus): strings in the shared-strings table (`t="s"`), and a
  value starting with `=` set as the cell's Formula, saved as `<c><f>..</f></c>` with no value.
- XlsxWriter 3.x (and libxlsxwriter, the same layout): strings in the shared-strings table,
  booleans as `t="b"`, and a formula saved with the number 0 for its result, whatever it
  computes: `<c r=".."><f>..</f><v>0</v></c>` (worksheet.py `_write_cell`: `t="str"` only when
  the result given is not a number, and `write_formula`'s result defaults to 0; their FAQ: "it
  stores the value 0 as the formula result"), with `<calcPr fullCalcOnLoad="1"/>` asking the
  reader to calculate (workbook.py `_write_calc_pr`).
- A shared-strings table whose `uniqueCount` is far beyond the strings it holds.
- A sheet edited by hand (or damaged): two `<row>` elements with one number, rows out of order,
  a line break inside the UPN cell.

Names are fictional (contoso.com). The output is deterministic: tests/cli/workbook12.rs works
out every verdict by hand from the rows below.
"""

import os
import sys
import zipfile
from xml.sax.saxutils import escape

HEADERS = [
    "UserPrincipalName",
    "DisplayName",
    "BlockCredential",
    "StrongAuthenticationMethods",
    "StrongAuthenticationRequirements",
]


class Formula(str):
    """A cell value written as a formula without a cached result."""


def col_letter(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def cell_openpyxl(ref, v):
    if v is None:
        return ""
    if isinstance(v, Formula):
        return f'<c r="{ref}"><f>{escape(v.lstrip("="))}</f><v /></c>'
    if isinstance(v, bool):
        return f'<c r="{ref}" t="b"><v>{int(v)}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'


def cell_epplus(ref, v, strings):
    if v is None:
        return ""
    if isinstance(v, Formula):
        return f'<c r="{ref}"><f>{escape(v.lstrip("="))}</f></c>'
    if isinstance(v, bool):
        return f'<c r="{ref}" t="b"><v>{int(v)}</v></c>'
    if v not in strings:
        strings.append(v)
    return f'<c r="{ref}" t="s"><v>{strings.index(v)}</v></c>'


def cell_xlsxwriter(ref, v, strings):
    if isinstance(v, Formula):
        return f'<c r="{ref}"><f>{escape(v.lstrip("="))}</f><v>0</v></c>'
    return cell_epplus(ref, v, strings)


def sheet_xml(rows, cell, row_numbers=None):
    """rows: lists of values; row_numbers: the r attribute of each <row> (default 1, 2, ...)."""
    numbers = row_numbers or list(range(1, len(rows) + 1))
    out = []
    for n, row in zip(numbers, rows):
        cells = "".join(cell(f"{col_letter(c)}{n}", v) for c, v in enumerate(row))
        out.append(f'<row r="{n}">{cells}</row>')
    last = max(numbers)
    return (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:{col_letter(len(HEADERS) - 1)}{last}" />'
        f'<sheetData>{"".join(out)}</sheetData></worksheet>'
    )


def save(path, sheet, strings=None, unique_count=None, calc_pr=""):
    ns = "http://schemas.openxmlformats.org/"
    rel = ns + "officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            f'<Types xmlns="{ns}package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            + (
                '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                if strings is not None
                else ""
            )
            + "</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{ns}package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{ns}spreadsheetml/2006/main" xmlns:r="{rel}">'
            '<sheets><sheet name="Users" sheetId="1" r:id="rId1"/></sheets>'
            f"{calc_pr}</workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{ns}package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            + (
                f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
                if strings is not None
                else ""
            )
            + "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": sheet,
    }
    if strings is not None:
        items = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
        parts["xl/sharedStrings.xml"] = (
            f'<sst xmlns="{ns}spreadsheetml/2006/main" count="{len(strings)}" '
            f'uniqueCount="{unique_count or len(strings)}">{items}</sst>'
        )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 1, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8"))


def main(out):
    state = Formula('=VLOOKUP(A{n},Requirements!A:B,2,FALSE)')
    # openpyxl: the MFA state is looked up by a formula in every row, never calculated.
    rows = [HEADERS]
    users = [
        ("ann@contoso.com", "Ann", False, "PhoneAppOTP"),
        ("bob@contoso.com", "Bob", False, None),
        ("cy@contoso.com", "Cy", True, "OneWaySMS"),
    ]
    for n, (upn, name, blocked, methods) in enumerate(users, start=2):
        rows.append([upn, name, blocked, methods, Formula(state.format(n=n))])
    save(os.path.join(out, "openpyxl-state-formulas.xlsx"), sheet_xml(rows, cell_openpyxl))

    # Export-Excel: the methods of two users were pasted as formulas (a value starting with
    # "="), the others are plain text; the display names are HYPERLINK formulas throughout.
    strings = []
    rows = [
        HEADERS,
        ["dee@contoso.com", Formula('=HYPERLINK("mailto:dee@contoso.com","Dee")'), False, "PhoneAppNotification", "Enforced"],
        ["eve@contoso.com", Formula('=HYPERLINK("mailto:eve@contoso.com","Eve")'), False, Formula('="PhoneAppOTP"'), None],
        ["fay@contoso.com", Formula('=HYPERLINK("mailto:fay@contoso.com","Fay")'), False, None, None],
        ["gus@contoso.com", Formula('=HYPERLINK("mailto:gus@contoso.com","Gus")'), False, Formula('="OneWaySMS"'), "Enabled"],
    ]
    save(
        os.path.join(out, "export-excel-formulas.xlsx"),
        sheet_xml(rows, lambda ref, v: cell_epplus(ref, v, strings)),
        strings,
    )

    # The same workbook whose shared-strings table declares 150 million strings: a reader
    # that reserves room for them asks for 3.4 GiB, though the file is a few kilobytes.
    strings = []
    sheet = sheet_xml(rows, lambda ref, v: cell_epplus(ref, v, strings))
    save(
        os.path.join(out, "shared-strings-reserve.xlsx"),
        sheet,
        strings,
        unique_count=150_000_000,
    )

    # XlsxWriter: formulas saved with 0 for their result, and fullCalcOnLoad. In BlockCredential
    # (a yes/no column) 0 would read as False; in the methods and status columns it is no text.
    strings = []
    rows = [
        HEADERS,
        ["ann@contoso.com", "Ann", False, "PhoneAppOTP", "Enforced"],
        ["bob@contoso.com", "Bob", Formula('=IF(ISBLANK(F3),"False","True")'), "PhoneAppOTP", None],
        ["cy@contoso.com", "Cy", Formula("=F4>0"), None, None],
        ["dan@contoso.com", "Dan", False, Formula('="Phone"&"AppOTP"'), None],
        ["eve@contoso.com", "Eve", False, "OneWaySMS", Formula('=IF(D6="","Disabled","Enforced")')],
        ["fay@contoso.com", "Fay", False, None, None],
        ["gus@contoso.com", "Gus", True, None, None],
        # A plain reference may compute a number, but the workbook says it was not calculated.
        ["hal@contoso.com", "Hal", Formula("=G9"), "PhoneAppOTP", None],
    ]
    save(
        os.path.join(out, "xlsxwriter-zero-results.xlsx"),
        sheet_xml(rows, lambda ref, v: cell_xlsxwriter(ref, v, strings)),
        strings,
        calc_pr='<calcPr calcId="124519" fullCalcOnLoad="1"/>',
    )

    # Edited by hand: row 3 appears twice (the second would overwrite the first's cells).
    rows = [
        HEADERS,
        ["hal@contoso.com", "Hal", False, "PhoneAppOTP", None],
        ["ida@contoso.com", "Ida", False, None, None],
        ["jon@contoso.com", "Jon", False, "OneWaySMS", None],
    ]
    save(os.path.join(out, "duplicate-row.xlsx"), sheet_xml(rows, cell_openpyxl, [1, 2, 3, 3]))
    # Rows out of order: row 4 is written before row 3.
    save(os.path.join(out, "rows-out-of-order.xlsx"), sheet_xml(rows, cell_openpyxl, [1, 2, 4, 3]))
    # A line break typed into the UPN cell (Alt+Enter).
    rows = [HEADERS, ["kim@contoso.com\nlee@contoso.com", "Kim", False, "PhoneAppOTP", None]]
    save(os.path.join(out, "line-break-upn.xlsx"), sheet_xml(rows, cell_openpyxl))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_workbook_fixtures.py OUT_DIR")
    main(sys.argv[1])
