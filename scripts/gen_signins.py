#!/usr/bin/env python3
"""Writes a large Graph sign-in download for benchmarks: a JSON array of `signIn` objects as
`Get-MgAuditLogSignIn -All | ConvertTo-Json -Depth 5` or a saved Graph response holds them,
shaped as make_signin_fixtures.py's (the Graph docs' signIn and authenticationDetail samples).

Usage: gen_signins.py --rows N --users U --seed S --out FILE

Each user signs in N/U times on average: single-factor single sign-on, MFA satisfied by a
claim in the token, MFA completed by the Authenticator app or a text message, MFA denied, and
sign-ins interrupted at the MFA prompt, in fixed proportions drawn with the seed. Names are
fictional (contoso.com); the output is deterministic.
"""

import argparse
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_signin_fixtures import MFA_CLAIM, FIRST_FACTOR_CLAIM, password, sign_in, step  # noqa: E402

KINDS = [
    # (weight, requirement, error code, steps)
    (40, "singleFactorAuthentication", 0, lambda: [password()]),
    (10, "singleFactorAuthentication", 0,
     lambda: [step("Previously satisfied", "Primary authentication", True, FIRST_FACTOR_CLAIM)]),
    (25, "multiFactorAuthentication", 0,
     lambda: [password(), step("Previously satisfied", "MFA", True, MFA_CLAIM)]),
    (15, "multiFactorAuthentication", 0,
     lambda: [password(), step("Mobile app notification", "MFA", True, "MFA successfully completed")]),
    (4, "multiFactorAuthentication", 0,
     lambda: [password(), step("Text message", "MFA", True, "MFA successfully completed",
                               "+1 XXXXXXXX55")]),
    (3, "multiFactorAuthentication", 500121,
     lambda: [password(), step("Mobile app notification", "MFA", False,
                               "MFA denied; user declined the authentication")]),
    (3, "multiFactorAuthentication", 50074, lambda: [password()]),
]


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, required=True)
    p.add_argument("--users", type=int, default=5000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    rng = random.Random(a.seed)
    weights = [k[0] for k in KINDS]
    with open(a.out, "w", encoding="utf-8") as f:
        f.write("[")
        for n in range(a.rows):
            _, requirement, code, steps = rng.choices(KINDS, weights)[0]
            user = "user%05d@contoso.com" % rng.randrange(a.users)
            s = sign_in(n, 1 + n % 28, user, requirement, code, steps())
            f.write(",\n" if n else "\n")
            json.dump(s, f, ensure_ascii=False)
        f.write("\n]\n")


if __name__ == "__main__":
    main()
