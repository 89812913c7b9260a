#!/usr/bin/env python3
"""Writes OpenDocument spreadsheets (.ods) shaped like LibreOffice Calc's own output.

Usage: make_ods_fixtures.py OUT_DIR

Only the standard library is used, so the tests can run it anywhere. The package follows what
Calc 7.x writes when it saves a sheet (and what calamine's src/ods.rs reads):

- `mimetype` first, stored (not compressed), holding
  `application/vnd.oasis.opendocument.spreadsheet`; then `META-INF/manifest.xml` and
  `content.xml` (ODF 1.2 part 3, section 3).
- Cells are `<table:table-cell office:value-type=... calcext:value-type=...>` with the shown
  text in `<text:p>`; booleans carry `office:boolean-value="true"` and show the word of Calc's
  interface language (`SANN`/`USANN` in Norwegian Bokmal); a formula is `table:formula="of:=..."`
  with its result in the value attributes; no white space between the cells of a row.
- After the data, Calc writes the rest of each row as one empty cell repeated to column 16,384,
  and the rest of the sheet as one empty row repeated to row 1,048,576.

Names are fictional (contoso.com). The output is deterministic: tests/cli/readers_more.rs works
out every verdict by hand from the rows below.
"""

import os
import sys
import zipfile
from xml.sax.saxutils import escape, quoteattr

MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
MAX_ROWS = 1048576
MAX_COLS = 16384

HEADERS = [
    "UserPrincipalName",
    "DisplayName",
    "BlockCredential",
    "StrongAuthenticationMethods",
    "StrongAuthenticationRequirements",
]

# MSOnline's Get-MsolUser columns (the seed's shape), one user a row.
USERS = [
    ["ann@contoso.com", "Ann Berg", False, "PhoneAppOTP,PhoneAppNotification", "Enforced"],
    ["bob@contoso.com", "Bob Dahl", False, "", ""],
    ["cy@contoso.com", "Cy Lund", True, "OneWaySMS", ""],
    ["dan@contoso.com", "Dan Ek", False, "TwoWayVoiceMobile", "Enabled"],
    ["eve@contoso.com", "Eve Holm", False, "", ""],
]


class Formula:
    """A cell holding a formula; `result` is what Calc saved for it (None: nothing, as a
    writer that does not calculate leaves it)."""

    def __init__(self, formula, result):
        self.formula = formula
        self.result = result


class Bool:
    """A boolean shown in a language's words (Calc shows TRUE/FALSE in English)."""

    def __init__(self, value, shown):
        self.value = value
        self.shown = shown


def text_cell(s):
    return (
        '<table:table-cell office:value-type="string" calcext:value-type="string">'
        f"<text:p>{escape(s)}</text:p></table:table-cell>"
    )


def cell(v):
    if v is None or v == "":
        return "<table:table-cell/>"
    if isinstance(v, bool):
        v = Bool(v, "TRUE" if v else "FALSE")
    if isinstance(v, Bool):
        b = "true" if v.value else "false"
        return (
            f'<table:table-cell office:value-type="boolean" office:boolean-value="{b}" '
            f'calcext:value-type="boolean"><text:p>{escape(v.shown)}</text:p></table:table-cell>'
        )
    if isinstance(v, Formula):
        f = quoteattr("of:=" + v.formula)
        if v.result is None:
            return f"<table:table-cell table:formula={f}/>"
        if isinstance(v.result, str):
            return (
                f'<table:table-cell table:formula={f} office:value-type="string" '
                f'office:string-value={quoteattr(v.result)} calcext:value-type="string">'
                f"<text:p>{escape(v.result)}</text:p></table:table-cell>"
            )
        return (
            f'<table:table-cell table:formula={f} office:value-type="float" '
            f'office:value="{v.result}" calcext:value-type="float">'
            f"<text:p>{v.result}</text:p></table:table-cell>"
        )
    return text_cell(v)


def table(name, rows):
    width = max((len(r) for r in rows), default=0)
    out = [
        f"<table:table table:name={quoteattr(name)} table:style-name=\"ta1\">",
        f'<table:table-column table:style-name="co1" table:number-columns-repeated="{MAX_COLS}" '
        'table:default-cell-style-name="Default"/>',
    ]
    for r in rows:
        cells = "".join(cell(v) for v in r)
        rest = MAX_COLS - len(r)
        out.append(
            f'<table:table-row table:style-name="ro1">{cells}'
            f'<table:table-cell table:number-columns-repeated="{rest}"/></table:table-row>'
        )
    out.append(
        f'<table:table-row table:style-name="ro1" '
        f'table:number-rows-repeated="{MAX_ROWS - len(rows)}">'
        f'<table:table-cell table:number-columns-repeated="{MAX_COLS}"/></table:table-row>'
    )
    out.append("</table:table>")
    assert width <= MAX_COLS
    return "".join(out)


def content(tables):
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" '
        'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" '
        'office:version="1.3">'
        "<office:automatic-styles>"
        '<style:style style:name="ta1" style:family="table" style:master-page-name="Default">'
        '<style:table-properties table:display="true" style:writing-mode="lr-tb"/></style:style>'
        "</office:automatic-styles>"
        "<office:body><office:spreadsheet>"
        + "".join(tables)
        + "<table:named-expressions/></office:spreadsheet></office:body></office:document-content>"
    )


MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'manifest:version="1.3">'
    '<manifest:file-entry manifest:full-path="/" manifest:version="1.3" '
    f'manifest:media-type="{MIMETYPE}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def save(path, content_xml):
    # A fixed time keeps the bytes the same on every run.
    when = (2026, 1, 1, 0, 0, 0)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype", when), MIMETYPE, zipfile.ZIP_STORED)
        for name, data in [("META-INF/manifest.xml", MANIFEST), ("content.xml", content_xml)]:
            z.writestr(zipfile.ZipInfo(name, when), data, zipfile.ZIP_DEFLATED)


def ps_bool(b):
    return "True" if b else "False"


def csv(path, rows):
    def q(v):
        if isinstance(v, bool):
            v = ps_bool(v)
        return '"' + str(v).replace('"', '""') + '"'

    with open(path, "w", newline="") as f:
        for r in rows:
            f.write(",".join(q(v) for v in r) + "\r\n")


def main(out):
    os.makedirs(out, exist_ok=True)
    rows = [HEADERS] + USERS
    # The seed's export, saved by Calc in English, and the same rows as Export-Csv writes them.
    save(os.path.join(out, "msonline.ods"), content([table("Sheet1", rows)]))
    csv(os.path.join(out, "msonline.csv"), rows)
    # Calc in Norwegian Bokmal shows SANN/USANN; the file stores the value.
    norsk = [HEADERS] + [
        r[:2] + [Bool(r[2], "SANN" if r[2] else "USANN")] + r[3:] for r in USERS
    ]
    save(os.path.join(out, "norsk.ods"), content([table("Ark1", norsk)]))
    # Formulas: a text formula with its result (ann), one without (bob, as a writer that does
    # not calculate leaves it), one whose saved result is the number 0 (dan).
    formulas = [HEADERS] + [
        ["ann@contoso.com", "Ann Berg", False,
         Formula('"PhoneAppOTP"&",PhoneAppNotification"', "PhoneAppOTP,PhoneAppNotification"),
         "Enforced"],
        ["bob@contoso.com", "Bob Dahl", False, Formula('"OneWaySMS"', None), ""],
        ["cy@contoso.com", "Cy Lund", True, "OneWaySMS", ""],
        ["dan@contoso.com", "Dan Ek", False, Formula('"TwoWayVoiceMobile"', 0), "Enabled"],
        ["eve@contoso.com", "Eve Holm", False, "", ""],
    ]
    save(os.path.join(out, "formulas.ods"), content([table("Users", formulas)]))
    # A notes sheet first; the users on the second, under a title row.
    notes = [["MFA export"], ["Exported from the tenant on 2026-01-01"]]
    titled = [["MFA status report"]] + rows
    save(
        os.path.join(out, "two-sheets.ods"),
        content([table("Notes", notes), table("Users", titled)]),
    )
    # A repeat bomb: one value repeated over every column of every row of the sheet.
    bomb = (
        '<table:table table:name="Users">'
        '<table:table-row table:number-rows-repeated="1048576">'
        '<table:table-cell office:value-type="float" office:value="1" calcext:value-type="float" '
        'table:number-columns-repeated="16384"><text:p>1</text:p></table:table-cell>'
        "</table:table-row></table:table>"
    )
    save(os.path.join(out, "bomb.ods"), content([bomb]))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
