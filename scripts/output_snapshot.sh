#!/usr/bin/env bash
# Runs a built mfa-audit over every shipped sample under the flag sets the tests use and keeps
# every output file, standard output, standard error and exit code in one folder, so that two
# builds can be compared byte for byte (`diff -r`) after a refactor.
#
#   scripts/output_snapshot.sh target/release/mfa-audit /tmp/before
#   ... change, build ...
#   scripts/output_snapshot.sh target/release/mfa-audit /tmp/after && diff -r /tmp/before /tmp/after
set -euo pipefail
out=$2
here=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$out"
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The same path for every build: the HTML pages show the command line.
mkdir -p /tmp/mfa-audit-snapshot
cp "$1" /tmp/mfa-audit-snapshot/mfa-audit
bin=/tmp/mfa-audit-snapshot/mfa-audit
# The files at the top of samples/ (samples/signins/ is a folder of its own).
find "$here"/samples -maxdepth 1 -type f -exec cp {} "$work"/ \;

# Sign-in downloads: a 57-column interactive CSV, its AuthDetails companion and a Graph page.
python3 - "$work" <<'PY'
import sys, os
d = sys.argv[1]
H = ["Date (UTC)","Request ID","User agent","Correlation ID","User ID","User","Username","User type",
"Cross tenant access type","Incoming token type","Authentication Protocol","Unique token identifier",
"Original transfer method","Client credential type","Token Protection - Sign In Session",
"Token Protection - Sign In Session StatusCode","Application","Application ID ","App owner tenant ID",
"Resource","Resource ID ","Resource tenant ID","Resource owner tenant ID","Home tenant ID",
"Home tenant name","IP address","Location","Status","Sign-in error code","Failure reason","Client app",
"Device ID","Browser","Operating System","Compliant","Managed","Join Type",
"Multifactor authentication result","Multifactor authentication auth method",
"Multifactor authentication auth detail","Authentication requirement","Sign-in identifier",
"Session ID","IP address (seen by resource)","Through Global Secure Access",
"Global Secure Access IP address","Autonomous system  number","Flagged for review",
"Token issuer type","Incoming token type","Token issuer name","Latency","Conditional Access",
"Managed Identity type","Associated Resource Id","Federated Token Id","Federated Token Issuer"]
MFA, SFA = "Multifactor authentication", "Single-factor authentication"
rows = [
 ("2026-11-02T08:00:00Z","r1","adele.vance@contoso.com","Success","0","MFA successfully completed","Mobile app notification","",MFA),
 ("2026-11-02T09:00:00Z","r2","adele.vance@contoso.com","Success","0","MFA requirement satisfied by claim in the token","","",MFA),
 ("2026-11-03T08:00:00Z","r3","alex.wilber@contoso.com","Failure","500121","MFA denied; user declined the authentication","Mobile app notification","",MFA),
 ("2026-11-03T08:05:00Z","r4","alex.wilber@contoso.com","Success","0","MFA successfully completed","Text message","+1 4255551264",MFA),
 ("2026-11-04T10:00:00Z","r5","allan.deyoung@contoso.com","Failure","500121","MFA denied; user did not respond to mobile app notification","Mobile app notification","",MFA),
 ("2026-11-04T10:00:00Z","r5","allan.deyoung@contoso.com","Failure","500121","MFA denied; user did not respond to mobile app notification","Mobile app notification","",MFA),
 ("2026-11-05T11:00:00Z","r7","=cmd|' /C calc'!A0","Success","0","","","",SFA),
 ("2026-11-06T11:00:00Z","r8","brian.johnson@contoso.com","Failure","500121","MFA denied; quantum token desynchronised","","",MFA),
]
q = lambda s: '"' + s.replace('"', '""') + '"'
col = {"Date (UTC)":0,"Request ID":1,"Username":2,"Status":3,"Sign-in error code":4,
"Multifactor authentication result":5,"Multifactor authentication auth method":6,
"Multifactor authentication auth detail":7,"Authentication requirement":8}
with open(os.path.join(d, "InteractiveSignIns.csv"), "w", newline="") as f:
    f.write(",".join(q(h) for h in H) + "\r\n")
    for r in rows:
        f.write(",".join(q(r[col[h.strip()]] if h.strip() in col else ("Office 365 Exchange Online" if h == "Application" else "")) for h in H) + "\r\n")
with open(os.path.join(d, "InteractiveSignIns_AuthDetails.csv"), "w", newline="") as f:
    f.write('"Date (UTC)","Request ID","Authentication method","Authentication method detail","Succeeded","Result detail","Requirement"\r\n')
    f.write('"2026-11-02T08:00:00Z","r1","Password","Password in the cloud","true","Correct password","Primary authentication"\r\n')
    f.write('"2026-11-02T08:00:00Z","r1","Text message","+46 701234567","true","MFA successfully completed","MFA"\r\n')
import json
def si(i, upn, ok, detail):
    return {"id": i, "createdDateTime": "2026-11-02T08:00:00Z", "userPrincipalName": upn,
      "authenticationRequirement": "multiFactorAuthentication", "status": {"errorCode": 0 if ok else 500121},
      "authenticationDetails": [{"authenticationMethod": "Password", "succeeded": True, "authenticationStepResultDetail": "Correct password"},
        {"authenticationMethod": "Mobile app notification", "succeeded": ok, "authenticationStepResultDetail": detail}]}
with open(os.path.join(d, "signins.json"), "w") as f:
    json.dump({"value": [si("g1", "adele.vance@contoso.com", True, "MFA successfully completed"),
                         si("g2", "alex.wilber@contoso.com", False, "User did not respond to mobile app notification")]}, f)
with open(os.path.join(d, "exceptions.csv"), "w", newline="") as f:
    f.write("UserPrincipalName,Reason,Expires,Owner\r\nallan.deyoung@contoso.com,Break-glass,2027-01-01,secops\r\nregex:^brian,Pilot,2026-01-01,it\r\n")
PY

n=0
run() { # run NAME ARGS...: one case, in a folder of its own
  local name=$1; shift
  n=$((n + 1))
  local dir="$out/$name"
  mkdir -p "$dir"
  local case_dir="$work/run-$n"
  mkdir -p "$case_dir"
  local rc=0
  (cd "$work" && NO_COLOR=1 GITHUB_STEP_SUMMARY="$case_dir/step-summary.md" \
      "$bin" "$@" </dev/null >"$dir/stdout" 2>"$dir/stderr") || rc=$?
  echo "$rc" >"$dir/rc"
  # Outputs are written into run-N (relative names below point there).
  cp -r "$case_dir"/. "$dir"/ 2>/dev/null || true
  # The run's folder name differs between snapshots: replace it in what was printed.
  sed -i "s#$work#WORK#g" "$dir"/stdout "$dir"/stderr
}

# Every audit run names its day: the SMS/voice section counts the days left from it.
today="--today 2026-11-25"
for s in msonline-ps51.csv msonline-ps7.csv msonline-excel-sv.csv MFA_Report.csv msonline-openpyxl.xlsx \
         msonline-xlwt.xls graph-registration-details.csv entra-registration-details.csv \
         graph-registration-details.json msonline-raw-export.csv; do
  n1=$((n + 1))
  r="run-$n1"
  run "audit-$s" audit "$s" -o "$r/r.csv" --registered "$r/reg.csv" --unregistered "$r/unreg.csv" \
      --json "$r/s.json" --junit "$r/j.xml" --html "$r/h.html" --excepted "$r/exc.csv" \
      --exceptions exceptions.csv $today --github-summary --fail-under 90 --max-unregistered 3 \
      --require '^admin' --fail-on-unknown --fail-on-phone-only
  n1=$((n + 1)); r="run-$n1"
  run "xlsx-$s" audit "$s" -o "$r/r.xlsx" --columns upn,status,methods,display-name,default-method,registered,blocked,mfa-capable,admin,user-type,strongest-method,source \
      --registered "$r/reg.xlsx" --method-names display --include-blocked -q $today
  n1=$((n + 1)); r="run-$n1"
  run "accounts-$s" audit "$s" --accounts accounts.csv -o "$r/r.csv" --json "$r/s.json" \
      --columns upn,display-name,status,methods,blocked --bom --newline lf --no-sanitize --strict $today
  run "stdout-$s" audit "$s" -o - -q --method-names canonical $today
  for b in registered unregistered blocked unknown excepted; do
    run "list-$b-$s" list "$b" "$s" --exclude '^a' $today
  done
done
run "stdin" sh -c "cat msonline-ps51.csv | '$bin' audit - -o - --json - $today"
run "members" audit graph-registration-details.csv --members-only --admins-only --require-admins -o - -q
n1=$((n + 1)); r="run-$n1"
run "diff" diff msonline-ps51.csv graph-registration-details.json -o "$r/d.csv" --json "$r/d.json" \
    --html "$r/d.html" --fail-on-regression
n1=$((n + 1)); r="run-$n1"
run "diff-xlsx" diff MFA_Report.csv msonline-ps7.csv -o "$r/d.xlsx"
n1=$((n + 1)); r="run-$n1"
run "signins-csv" signins InteractiveSignIns.csv --json "$r/a.json" --per-user "$r/u.csv" \
    --events "$r/e.csv" --html "$r/s.html" --users msonline-ps51.csv
n1=$((n + 1)); r="run-$n1"
run "signins-auth" signins InteractiveSignIns_AuthDetails.csv InteractiveSignIns.csv --json "$r/a.json" \
    --per-user "$r/u.xlsx" --events "$r/e.xlsx"
run "signins-json" signins signins.json --json -
run "explain" explain FAILED_PHONE_APP_NO_RESPONSE
run "explain-sv" explain tjänstfel --json
run "explain-list" explain --list
run "bad-usage" audit nope.csv
run "completions" completions bash
run "man" man
# XLSX outputs are ZIP archives whose docProps/core.xml holds the time of writing: unpack them
# without it, so that a difference is shown as text and the clock is not one.
find "$out" -type f -name '*.xlsx' | while read -r x; do
  python3 - "$x" <<'PY'
import sys, zipfile, pathlib
x = pathlib.Path(sys.argv[1])
with zipfile.ZipFile(x) as z:
    for name in z.namelist():
        if name != "docProps/core.xml":
            target = x.with_name(x.name + ".d") / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(z.read(name))
x.unlink()
PY
done
echo "$n runs in $out"
