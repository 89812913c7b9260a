#!/usr/bin/env python3
"""Generates a large, realistic Get-MsolUser export for benchmarks and soak tests.

    python3 scripts/gen_export.py --rows 1000000 --out /tmp/users-1m.csv --summary

Shape: Windows PowerShell 5.1 `Export-Csv -Encoding UTF8` of a Select-Object with 15 columns
(BOM, #TYPE line, CRLF, every field quoted, $null as an empty unquoted field), including the
address `State` column that is not the MFA state. The population: about 70% registered, 20%
unregistered, 8% blocked, 0.1% with an empty BlockCredential, 0.5% UPNs repeated in another
letter case (as when two exports of one tenant are concatenated), non-ASCII names. The same
--seed gives the same bytes. --summary prints the expected counts as mfa-audit's JSON keys.
"""

import argparse
import json
import random
import sys

HEADERS = [
    "UserPrincipalName", "DisplayName", "FirstName", "LastName", "Department", "City",
    "State", "Country", "UsageLocation", "IsLicensed", "BlockCredential",
    "StrongAuthenticationMethods", "StrongAuthenticationRequirements", "DefaultMethod",
    "ObjectId",
]
FIRST = ["Adele", "Alex", "Åsa", "Björn", "Chloé", "Diego", "Émile", "Fatima", "Grady",
         "Henrietta", "Isaiah", "José", "Jürgen", "Lee", "Mi-rae", "Nestor", "Øystein",
         "Patti", "Zoë", "さくら", "太郎", "Łukasz", "Ngọc", "Olga"]
LAST = ["Vance", "Wilber", "Lindström", "Eriksson", "Dubois", "Siciliani", "Zola", "Haddad",
        "Archie", "Müller", "Langer", "Núñez", "Schäfer", "Gu", "Kim", "Wilke", "Ødegård",
        "Fernandez", "Lefèvre", "山田", "鈴木", "Wójcik", "Nguyễn", "Smirnova"]
DEPTS = ["Sales", "Finance", "IT", "Legal", "Operations", "R&D", "Marketing, EMEA", ""]
PLACES = [("Redmond", "WA", "United States", "US"), ("Stockholm", None, "Sweden", "SE"),
          ("Lyon", None, "France", "FR"), ("Toronto", "ON", "Canada", "CA"),
          ("Tokyo", None, "Japan", "JP"), ("Utrecht", "UT", "Netherlands", "NL")]
METHOD_SETS = [
    ["PhoneAppNotification", "PhoneAppOTP"],
    ["PhoneAppNotification", "PhoneAppOTP", "OneWaySMS"],
    ["OneWaySMS"],
    ["TwoWayVoiceMobile"],
    ["PhoneAppOTP"],
    ["OneWaySMS", "TwoWayVoiceMobile"],
    ["PhoneAppNotification", "PhoneAppOTP", "TwoWayVoiceMobile", "TwoWayVoiceAlternateMobile"],
    ["TwoWayVoiceOffice"],
]


def q(v):
    if v is None:
        return ""
    return '"' + v.replace('"', '""') + '"'


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--summary", action="store_true")
    a = ap.parse_args()

    rnd = random.Random(a.seed)
    n = dict(users=0, registered=0, unregistered=0, blocked=0, unknown=0, duplicates=0)
    seen = []  # a small pool of earlier UPNs to repeat
    with open(a.out, "w", encoding="utf-8-sig", newline="") as f:
        f.write("#TYPE Selected.Microsoft.Online.Administration.User\r\n")
        f.write(",".join(q(h) for h in HEADERS) + "\r\n")
        for i in range(a.rows):
            n["users"] += 1
            r = rnd.random()
            if seen and r < 0.005:
                upn = rnd.choice(seen).upper()
                n["duplicates"] += 1
                bucket = None
            else:
                upn = "user%07d@contoso.com" % i
                if len(seen) < 10_000:
                    seen.append(upn)
                r = rnd.random()
                bucket = ("registered" if r < 0.70 else "unregistered" if r < 0.90
                          else "blocked" if r < 0.999 else "unknown")
                n[bucket] += 1
            if bucket is None:  # a repeat: its fields do not matter to the counts
                bucket = "unregistered"
            first, last = rnd.choice(FIRST), rnd.choice(LAST)
            city, state, country, loc = rnd.choice(PLACES)
            methods = rnd.choice(METHOD_SETS) if bucket == "registered" or (
                bucket in ("blocked", "unknown") and rnd.random() < 0.5) else []
            blocked = {"blocked": "True", "unknown": None}.get(bucket, "False")
            mfa_state = rnd.choice([None, None, "Enabled", "Enforced"])
            f.write(",".join([
                q(upn), q("%s %s" % (first, last)), q(first), q(last), q(rnd.choice(DEPTS)),
                q(city), q(state), q(country), q(loc), q(rnd.choice(["True", "False"])),
                q(blocked), q(",".join(methods)), q(mfa_state),
                q(methods[0] if methods else None),
                q("%08x-%04x-4%03x-8%03x-%012x" % (rnd.getrandbits(32), rnd.getrandbits(16),
                                                   rnd.getrandbits(12), rnd.getrandbits(12),
                                                   rnd.getrandbits(48))),
            ]) + "\r\n")
    if a.summary:
        json.dump(n, sys.stdout, sort_keys=True)
        print()


if __name__ == "__main__":
    main()
