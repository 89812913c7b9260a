#!/usr/bin/env python3
"""Writes the same week of sign-ins as the Entra admin center downloads it in each portal
language whose headers a public source shows, plus a renamed download no table knows.

Usage: make_signin_lang.py OUT_DIR

Files (names as the portal gives them, a language suffix added):
- InteractiveSignIns_en.csv and InteractiveSignIns_AuthDetails_en.csv: the English 57-column
  download of 2025-2026 (headers as in tests/cli/signins.rs) and its AuthDetails companion.
- InteractiveSignIns_es.csv: the Spanish download. Headers: the 57 columns a public C#
  importer of Spanish downloads validates (AccessWatchLite, CsvImportService.cs, KnownHeaders),
  which also requires ';' as the separator.
- InteractiveSignIns_fr.csv: the French download. Headers: the columns a public Python
  investigation tool maps for French "Interactive sign-ins" exports (SIGNIN_FIELD_CANDIDATES);
  the requirement column is "Exigence d'authentification", Microsoft's French for
  "authentication requirement". Columns that tool does not name are left out (a download is
  read by name, so the others do not matter).
- InteractiveSignIns_renamed.csv: the English rows under headers an admin's spreadsheet gave
  them; no language table knows them, so only `--column` reads it.

Values: requirement words are Microsoft's own in its localized usage-insights articles
("authentification multifacteur" / "à facteur unique", "autenticación multifactor" / "de un
solo factor"). French MFA result texts are the French seed's reason strings; the Spanish ones
are not known from any source, so the Spanish file keeps the English texts, as it keeps the
English method names and status words (only shown, never interpreted) in every language.
Names are fictional (contoso.com). The output is deterministic; tests/cli/signin_lang.rs works
out every answer by hand.
"""

import os
import sys

from signin_header import HEADER_57_EN

HEADER_EN = HEADER_57_EN

# The Spanish importer's KnownHeaders, in the same order as the English 57; the importer
# renames the repeated "Tipo de token entrante" to "Tipo de token entrante_1", the portal
# writes it twice.
HEADER_ES = [
    "Fecha (UTC)", "Id. de solicitud", "Agente de usuario", "Id. de correlación",
    "Id. de usuario", "Usuario", "Nombre de usuario", "Tipo de usuario",
    "Tipo de acceso entre inquilinos", "Tipo de token entrante", "Protocolo de autenticación",
    "Identificador de token único", "Método de transferencia original",
    "Tipo de credencial de cliente", "Protección de token: sesión de inicio de sesión",
    "Protección con tokens: código de estado de sesión de inicio de sesión", "Aplicación",
    "Id. de aplicación", "Id. de inquilino del propietario de la aplicación", "Recurso",
    "Id. de recurso", "Id. de inquilino de recursos",
    "Id. de inquilino del administrador del recurso", "Id. de inquilino inicial",
    "Nombre del inquilino inicial", "Dirección IP", "Ubicación", "Estado",
    "Código de error de inicio de sesión", "Motivo del error", "Aplicación cliente",
    "Id. de dispositivo", "Explorador", "Sistema operativo", "Conforme", "Administrada",
    "Tipo de unión", "Resultado de la autenticación multifactor",
    "Método de autenticación de la autenticación multifactor",
    "Detalle de autenticación de la autenticación multifactor", "Requisito de autenticación",
    "Identificador de inicio de sesión", "Id. de sesión", "Dirección IP (vista por recurso)",
    "Mediante Acceso global seguro", "Dirección IP de Acceso global seguro",
    "Número de sistema autónomo", "Marcado para revisión", "Tipo de emisor de tokens",
    "Tipo de token entrante", "Nombre del emisor de tokens", "Latencia", "Acceso condicional",
    "Tipo de identidad administrada", "Id. del recurso asociado", "Id. de token federado",
    "Emisor de token federado",
]

# The French columns the investigation tool names, with the role each plays here.
HEADER_FR = [
    ("date", "Date (UTC)"), ("request", "ID de requête"), ("display", "Utilisateur"),
    ("upn", "Nom d'utilisateur"), ("app", "Application"), ("ip", "Adresse IP"),
    ("status", "Statut"), ("error", "Code d'erreur de connexion"),
    ("reason", "Raison de l'échec"), ("result", "Résultat de l'authentification multifacteur"),
    ("method", "Méthode d'authentification multifacteur"),
    ("requirement", "Exigence d'authentification"), ("ca", "Accès conditionnel"),
]

HEADER_RENAMED = [
    ("date", "When"), ("request", "Request"), ("upn", "Who"), ("status", "Outcome"),
    ("error", "Code"), ("result", "MFA outcome"), ("method", "How"), ("detail", "Detail"),
    ("requirement", "Needs MFA"), ("ca", "Policy"),
]

MFA = {"en": "Multifactor authentication", "fr": "Authentification multifacteur",
       "es": "Autenticación multifactor"}
SFA = {"en": "Single-factor authentication", "fr": "Authentification à facteur unique",
       "es": "Autenticación de un solo factor"}

# Result texts: English as the portal writes them; French as the French seed words the reason.
COMPLETED = {"en": "MFA successfully completed", "fr": "réussie"}
CLAIM = {"en": "MFA requirement satisfied by claim in the token",
         "fr": "satisfaite par une revendication dans le jeton"}
DECLINED = {"en": "MFA denied; user declined the authentication",
            "fr": "refus de l’authentification par l’utilisateur"}

# (date, request id, upn, status, error code, result, method, detail, multifactor?)
SIGN_INS = [
    ("2026-11-02T08:00:00Z", "r1", "ann@contoso.com", "Success", "0", COMPLETED,
     "Text message", "+X XXXXXXXX64", True),
    ("2026-11-02T08:05:00Z", "r2", "bob@contoso.com", "Success", "0", None, "", "", False),
    ("2026-11-02T09:00:00Z", "r3", "cy@contoso.com", "Failure", "500121", DECLINED,
     "Mobile app notification", "", True),
    ("2026-11-03T10:00:00Z", "r4", "ann@contoso.com", "Success", "0", CLAIM, "", "", True),
    ("2026-11-03T11:00:00Z", "r5", "dee@contoso.com", "Failure", "500121", DECLINED,
     "Mobile app notification", "", True),
    ("2026-11-03T11:02:00Z", "r6", "dee@contoso.com", "Success", "0", COMPLETED,
     "Mobile app notification", "", True),
    # An overlapping download repeats r1: counted once.
    ("2026-11-02T08:00:00Z", "r1", "ann@contoso.com", "Success", "0", COMPLETED,
     "Text message", "+X XXXXXXXX64", True),
]


def values(s, lang):
    date, rid, upn, status, code, result, method, detail, multi = s
    text = ""
    if result is not None:
        text = result.get(lang, result["en"])
    return {
        "date": date, "request": rid, "upn": upn, "display": upn.split("@")[0].title(),
        "status": status, "error": code, "result": text, "method": method, "detail": detail,
        "requirement": (MFA if multi else SFA).get(lang, (MFA if multi else SFA)["en"]),
        "app": "Office 365 Exchange Online", "ip": "203.0.113.7", "reason": "",
        "ca": "notApplied",
    }


# English header name -> role in values().
EN_ROLES = {
    "Date (UTC)": "date", "Request ID": "request", "User": "display", "Username": "upn",
    "Status": "status", "Sign-in error code": "error",
    "Multifactor authentication result": "result",
    "Multifactor authentication auth method": "method",
    "Multifactor authentication auth detail": "detail",
    "Authentication requirement": "requirement", "Conditional Access": "ca",
}


def line(fields, sep):
    return sep.join('"' + str(f).replace('"', '""') + '"' for f in fields)


def write(out_dir, name, lines, bom):
    data = ("\r\n".join(lines) + "\r\n").encode("utf-8")
    if bom:
        data = b"\xef\xbb\xbf" + data
    with open(os.path.join(out_dir, name), "wb") as f:
        f.write(data)


def positional(header, lang, sep):
    """A 57-column file: the English header's roles by position, the language's names."""
    lines = [line(header, sep)]
    for s in SIGN_INS:
        v = values(s, lang)
        lines.append(line([v.get(EN_ROLES.get(h, ""), "") for h in HEADER_EN], sep))
    return lines


def named(columns, lang, sep):
    lines = [line([h for _, h in columns], sep)]
    for s in SIGN_INS:
        v = values(s, lang)
        lines.append(line([v[role] for role, _ in columns], sep))
    return lines


def auth_details():
    header = ["Date (UTC)", "Request ID", "Authentication method",
              "Authentication method detail", "Succeeded", "Result detail", "Requirement"]
    lines = [line(header, ",")]
    for s in SIGN_INS[:-1]:
        date, rid, _, _, _, result, method, detail, multi = s
        lines.append(line([date, rid, "Password", "Password in the cloud", "true",
                           "Correct password", "Primary authentication"], ","))
    return lines


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    write(out, "InteractiveSignIns_en.csv", positional(HEADER_EN, "en", ","), False)
    write(out, "InteractiveSignIns_AuthDetails_en.csv", auth_details(), False)
    write(out, "InteractiveSignIns_es.csv", positional(HEADER_ES, "es", ";"), True)
    write(out, "InteractiveSignIns_fr.csv", named(HEADER_FR, "fr", ","), True)
    write(out, "InteractiveSignIns_renamed.csv", named(HEADER_RENAMED, "en", ","), False)


if __name__ == "__main__":
    main()
