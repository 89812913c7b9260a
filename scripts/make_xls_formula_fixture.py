#!/usr/bin/env python3
"""Writes tests/cli/fixtures/xls-text-formula-zero.xls: a legacy .xls (BIFF8) whose text
formulas were saved with the number 0 as their result.

Usage: make_xls_formula_fixture.py OUT_FILE [yes-no]      (needs: pip install xlwt==1.3.0)

With `yes-no` it writes tests/cli/fixtures/xls-flag-formula-zero.xls instead: the same kind of
workbook whose formulas are in the BlockCredential column, where 0 would read as False.

A BIFF8 FORMULA record holds the formula's last result beside its tokens: a number (an IEEE
double), or the marker 0xFFFF in bytes 6-7 with a type in byte 0 for a string (then a STRING
record), a boolean, an error or an empty string. Excel saves the real result. Writers that do
not calculate must put something there: xlwt 1.3 puts the empty-string marker
(BIFFRecords.FormulaRecord packs 0xFFFF000000000003); others put the number 0, which a reader
then shows as 0 in a column of names. This generator writes the workbook with xlwt and saves
the number 0 as every formula's result, the shape that must never read as a method named "0".

Names are fictional (contoso.com). Rows (tests/cli/readers_more.rs works out the verdicts):
ann: methods "PhoneAppOTP" as text; bob: methods as a formula (result saved as 0); cy: blocked,
methods as a formula; dan: the number 0 typed in the methods cell; eve: no methods.

Rows of the yes-no workbook (tests/cli/formula_results.rs works out the verdicts): ann: False
typed; bob: IF(...;"False";"True"), a text formula; cy: NOT(ISBLANK(...)), a truth formula;
dan: a plain reference to another cell, which may hold a number; eve: True typed.
"""

import struct
import sys

import xlwt
from xlwt import BIFFRecords


def number_zero_result(self, row, col, xf_index, rpn, calc_flags=0):
    # As xlwt's own __init__, with the result field holding the double 0.0.
    self._rec_data = struct.pack("<3HdHL", row, col, xf_index, 0.0, calc_flags & 3, 0) + rpn


BIFFRecords.FormulaRecord.__init__ = number_zero_result

ROWS = [
    ["UserPrincipalName", "DisplayName", "BlockCredential", "StrongAuthenticationMethods",
     "StrongAuthenticationRequirements"],
    ["ann@contoso.com", "Ann Berg", False, "PhoneAppOTP", "Enforced"],
    ["bob@contoso.com", "Bob Dahl", False, xlwt.Formula('"PhoneAppNotification"&""'), ""],
    ["cy@contoso.com", "Cy Lund", True, xlwt.Formula('CONCATENATE("OneWay";"SMS")'), ""],
    ["dan@contoso.com", "Dan Ek", False, 0, ""],
    ["eve@contoso.com", "Eve Holm", False, "", ""],
]


YES_NO_ROWS = [
    ["UserPrincipalName", "DisplayName", "BlockCredential", "StrongAuthenticationMethods",
     "StrongAuthenticationRequirements", "Blocked in HR"],
    ["ann@contoso.com", "Ann Berg", False, "PhoneAppOTP", "", ""],
    ["bob@contoso.com", "Bob Dahl", xlwt.Formula('IF(ISBLANK(F3);"False";"True")'), "PhoneAppOTP", "", ""],
    ["cy@contoso.com", "Cy Lund", xlwt.Formula("NOT(ISBLANK(F4))"), "", "", ""],
    ["dan@contoso.com", "Dan Ek", xlwt.Formula("F5"), "OneWaySMS", "", ""],
    ["eve@contoso.com", "Eve Holm", True, "", "", ""],
]


def main(out, rows=ROWS):
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Users")
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v != "":
                ws.write(r, c, v)
    wb.save(out)


if __name__ == "__main__":
    if len(sys.argv) == 2:
        main(sys.argv[1])
    elif len(sys.argv) == 3 and sys.argv[2] == "yes-no":
        main(sys.argv[1], YES_NO_ROWS)
    else:
        sys.exit(__doc__)
