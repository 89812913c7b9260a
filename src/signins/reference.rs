//! The reference: the result codes of downloaded MFA activity reports (45 codes: SUCCESS_*,
//! FAILED_*, CONFIG_ISSUE) and every reason the sign-in report gives for a satisfied or denied
//! MFA requirement, in the five languages of Microsoft's article (English, Swedish, Dutch,
//! French, Japanese), with what each means and what an admin should do, in our own words.
//!
//! Used by `mfa-audit explain`, and by `signins` to decode result columns.

use serde::Serialize;

/// Whether an MFA requirement was met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    Satisfied,
    Denied,
}

/// What kind of problem a denial is, for "what are the common MFA issues?".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Group {
    UserAction,
    PhoneDelivery,
    Configuration,
    Service,
    SuspectedFraud,
}

impl Group {
    pub const ALL: [Group; 5] = [
        Group::UserAction,
        Group::PhoneDelivery,
        Group::Configuration,
        Group::Service,
        Group::SuspectedFraud,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Group::UserAction => "user action",
            Group::PhoneDelivery => "phone and delivery",
            Group::Configuration => "configuration",
            Group::Service => "service",
            Group::SuspectedFraud => "suspected fraud",
        }
    }

    /// The one thing an admin should do about this kind of denial.
    pub fn action(self) -> &'static str {
        match self {
            Group::UserAction => {
                "talk to the users concerned: they declined, did not answer or mistyped; check that \
                 they expect the prompts (a run of declines can be MFA fatigue) and know their method"
            }
            Group::PhoneDelivery => {
                "check the users' phone numbers and app registrations, and move them from SMS and \
                 voice to the Authenticator app or a FIDO2 key"
            }
            Group::Configuration => {
                "fix the set-up: register a method for users without one, review blocked users, \
                 and check the MFA configuration (NPS extension, federation)"
            }
            Group::Service => {
                "usually transient or clients retrying; if it persists, check service health and \
                 the clients (RADIUS, NPS) that send duplicate requests"
            }
            Group::SuspectedFraud => {
                "treat it as an attack: contact the user, reset the password, revoke sessions and \
                 review the recent sign-ins"
            }
        }
    }
}

/// A reason in the sign-in report's MFA result.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Reason {
    pub class: Class,
    /// For denials: the kind of problem.
    pub group: Option<Group>,
    pub en: &'static str,
    pub sv: &'static str,
    pub nl: &'static str,
    pub fr: &'static str,
    pub ja: &'static str,
    pub meaning: &'static str,
}

impl Reason {
    /// (language, text) of every translation.
    pub fn texts(&self) -> [(&'static str, &'static str); 5] {
        [
            ("en", self.en),
            ("sv", self.sv),
            ("nl", self.nl),
            ("fr", self.fr),
            ("ja", self.ja),
        ]
    }
}

/// The reasons of the sign-in report, in the article's order (satisfied, then denied), plus the
/// two the English revision lists outside those lists.
pub const REASONS: &[Reason] = &[
    Reason {
        class: Class::Satisfied,
        group: None,
        en: "completed in the cloud",
        sv: "slutfört i molnet",
        nl: "voltooid in de cloud",
        fr: "achevée dans le cloud",
        ja: "クラウドで完了しました",
        meaning: "Entra ID's own MFA service challenged the user during this sign-in and the user passed.",
    },
    Reason {
        class: Class::Satisfied,
        group: None,
        en: "has expired due to the policies configured on tenant",
        sv: "har upphört på grund av de principer som konfigurerats på klienten",
        nl: "verlopen als gevolg van beleid dat is geconfigureerd in de tenant",
        fr: "a expiré en raison des politiques configurées pour l’abonné",
        ja: "テナントに構成されているポリシーのため期限が切れました",
        meaning: "An earlier MFA was too old for the tenant's policy (e.g. sign-in frequency), so the requirement had to be met again.",
    },
    Reason {
        class: Class::Satisfied,
        group: None,
        en: "registration prompted",
        sv: "uppmaning om registrering",
        nl: "registratie gevraagd",
        fr: "inscription demandée",
        ja: "登録がプロンプトされました",
        meaning: "The user was sent to register MFA methods during sign-in: a sign that the user had none registered yet.",
    },
    Reason {
        class: Class::Satisfied,
        group: None,
        en: "satisfied by claim in the token",
        sv: "uppfyllt av anspråk i token",
        nl: "voldaan door de claim in het token",
        fr: "satisfaite par une revendication dans le jeton",
        ja: "トークンの要求によって満たされました",
        meaning: "The token already carried an MFA claim from earlier in the session: no new prompt.",
    },
    Reason {
        class: Class::Satisfied,
        group: None,
        en: "satisfied by claim provided by external provider",
        sv: "uppfyllt av anspråk som tillhandahållits av en extern provider",
        nl: "voldaan door de claim geleverd door de externe provider",
        fr: "satisfaite par une revendication fournie par un fournisseur externe",
        ja: "外部プロバイダーから送信された要求によって満たされました",
        meaning: "A federated identity provider (AD FS or a third party) performed MFA and said so in its claims.",
    },
    Reason {
        class: Class::Satisfied,
        group: None,
        en: "satisfied by strong authentication",
        sv: "uppfyllt av stark autentisering",
        nl: "voldaan door geavanceerde verificatie",
        fr: "satisfaite par l’authentification forte",
        ja: "強力な認証によって満たされました",
        meaning: "A strong credential (passwordless, FIDO2, Windows Hello for Business, certificate) counted as MFA on its own.",
    },
    Reason {
        class: Class::Satisfied,
        group: None,
        en: "skipped as flow exercised was Windows broker logon flow",
        sv: "hoppades över eftersom flödet som utnyttjades var flödet för inloggning av asynkron Windows-meddelandekö",
        nl: "overgeslagen omdat de uitgevoerde stroom een Windows broker-aanmeldingsstroom is",
        fr: "ignorée, car le flux testé était un flux d’ouverture de session de répartiteur de service Windows",
        ja: "実行されたフローが Windows ブローカー ログオン フローのためスキップされました",
        meaning: "The sign-in came through the Windows logon broker flow, where MFA is not asked.",
    },
    Reason {
        class: Class::Satisfied,
        group: None,
        en: "skipped due to app password",
        sv: "hoppades över på grund av applösenord",
        nl: "overgeslagen vanwege een app-wachtwoord",
        fr: "ignorée en raison de mot de passe",
        ja: "アプリ パスワードによりスキップされました",
        meaning: "A legacy app password was used: no MFA took place. Move these clients to modern authentication.",
    },
    Reason {
        class: Class::Satisfied,
        group: None,
        en: "skipped due to location",
        sv: "hoppades över på grund av plats",
        nl: "overgeslagen vanwege de locatie",
        fr: "ignorée en raison d’emplacement",
        ja: "場所によりスキップされました",
        meaning: "The sign-in came from a trusted location, which the policy exempts from MFA.",
    },
    Reason {
        class: Class::Satisfied,
        group: None,
        en: "skipped due to registered device",
        sv: "hoppades över på grund av en registrerad enhet",
        nl: "overgeslagen vanwege een geregistreerd apparaat",
        fr: "ignorée en raison de l’appareil enregistré",
        ja: "登録済みデバイスによりスキップされました",
        meaning: "The device is registered, which the policy accepted instead of a prompt.",
    },
    Reason {
        class: Class::Satisfied,
        group: None,
        en: "skipped due to remembered device",
        sv: "hoppades över på grund av en sparad enhet",
        nl: "overgeslagen vanwege een geregistreerd apparaat",
        fr: "ignorée en raison de l’appareil mémorisé",
        ja: "記憶済みデバイスによりスキップされました",
        meaning: "The user had ticked 'remember MFA' on this device earlier; no prompt within that window.",
    },
    Reason {
        class: Class::Satisfied,
        group: None,
        en: "successfully completed",
        sv: "slutfördes",
        nl: "voltooid",
        fr: "réussie",
        ja: "正常に完了しました",
        meaning: "The user completed the MFA challenge.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::Service),
        en: "authentication in-progress",
        sv: "autentisering pågår",
        nl: "verificatie wordt uitgevoerd",
        fr: "authentification en cours",
        ja: "認証が進行中",
        meaning: "Another authentication for the same user was still running; often a client that retries.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::Service),
        en: "duplicate authentication attempt",
        sv: "duplicera autentiseringsförsök",
        nl: "dubbele verificatiepoging",
        fr: "double tentative d’authentification",
        ja: "重複する認証試行",
        meaning: "The same authentication was submitted twice (typically a RADIUS or NPS client retrying).",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::UserAction),
        en: "entered incorrect code too many times",
        sv: "angett felaktig kod för många gånger",
        nl: "onjuiste code te vaak ingevoerd",
        fr: "code erroné entré beaucoup de fois",
        ja: "不適切なコードが何度も入力されました",
        meaning: "The user typed a wrong code more often than allowed.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::Service),
        en: "invalid authentication",
        sv: "ogiltig autentisering",
        nl: "ongeldige verificatie",
        fr: "authentification invalide",
        ja: "無効な認証",
        meaning: "The authentication response could not be validated.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::UserAction),
        en: "invalid mobile app verification code",
        sv: "ogiltig verifieringskod från mobilapp",
        nl: "ongeldig verificatiecode via mobiele app",
        fr: "code de vérification de l’application mobile incorrect",
        ja: "無効なモバイル アプリ確認コード",
        meaning: "The code from the authenticator app was wrong.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::Configuration),
        en: "misconfiguration",
        sv: "felaktig konfiguration",
        nl: "onjuiste configuratie",
        fr: "configuration incorrecte",
        ja: "構成の誤り",
        meaning: "MFA is set up wrongly for this user or connection (e.g. the NPS extension or federation settings).",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::PhoneDelivery),
        en: "phone call went to voicemail",
        sv: "telefonsamtalet dirigerades till röstmeddelanden",
        nl: "telefonische oproep verzonden naar voicemail",
        fr: "appel téléphonique passé à la messagerie vocale",
        ja: "ボイスメールに対する電話の呼び出し",
        meaning: "The voice call was answered by voicemail.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::PhoneDelivery),
        en: "phone number has an invalid format",
        sv: "telefonnumret har ett ogiltigt format",
        nl: "telefoonnummer heeft een ongeldige indeling",
        fr: "numéro de téléphone de format invalide",
        ja: "電話番号の形式が正しくありません",
        meaning: "The phone number on file is not a valid number.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::Service),
        en: "service error",
        sv: "tjänstfel",
        nl: "servicefout",
        fr: "erreur de service",
        ja: "サービス エラー",
        meaning: "The MFA service failed to process the request.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::PhoneDelivery),
        en: "unable to reach the user’s phone",
        sv: "Det gick inte att komma åt användarens telefon",
        nl: "kan de telefoon van de gebruiker niet bereiken",
        fr: "téléphone de l’utilisateur injoignable",
        ja: "ユーザーの電話にアクセスできません",
        meaning: "The call could not reach the user's phone (busy, off, out of coverage).",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::PhoneDelivery),
        en: "unable to send the mobile app notification to the device",
        sv: "kunde inte skicka meddelande via mobilapp till enheten",
        nl: "kan de mobiele-app-melding niet verzenden naar het apparaat",
        fr: "Impossible d’envoyer la notification d’application mobile à l’appareil",
        ja: "モバイル アプリ通知をデバイスに送信できません",
        meaning: "The push notification could not be delivered to the user's device.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::PhoneDelivery),
        en: "unable to send the mobile app notification",
        sv: "kunde inte skicka meddelande via mobilapp",
        nl: "kan de mobiele-app-melding niet verzenden",
        fr: "Impossible d’envoyer la notification d’application mobile",
        ja: "モバイル アプリ通知を送信できません",
        meaning: "The push notification could not be sent.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::UserAction),
        en: "user declined the authentication",
        sv: "användaren nekade autentiseringen",
        nl: "gebruiker heeft verificatie geweigerd",
        fr: "refus de l’authentification par l’utilisateur",
        ja: "ユーザーが認証を拒否しました",
        meaning: "The user rejected the prompt. If they did not start the sign-in, treat it as an attack (MFA fatigue).",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::UserAction),
        en: "user did not respond to mobile app notification",
        sv: "användaren svarade inte på meddelandet via mobilappen",
        nl: "gebruiker heeft niet gereageerd op mobiele-app-melding",
        fr: "l’utilisateur n’a pas répondu à la notification d’application mobile",
        ja: "ユーザーがモバイル アプリ通知に応答しませんでした",
        meaning: "The user did not answer the app notification in time.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::Configuration),
        en: "user does not have any verification methods registered",
        sv: "användaren har inte några verifieringsmetoder registrerade",
        nl: "gebruiker heeft geen verificatiemethoden geregistreerd",
        fr: "l’utilisateur ne dispose pas de toutes les méthodes de vérification enregistrés",
        ja: "ユーザーが確認方法を登録していません",
        meaning: "The user has no MFA method registered, so no challenge was possible.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::UserAction),
        en: "user entered incorrect code",
        sv: "användaren har angett en felaktig kod",
        nl: "gebruiker heeft onjuiste code ingevoerd",
        fr: "l’utilisateur a entré un code erroné",
        ja: "ユーザーが不適切なコードを入力しました",
        meaning: "The user entered a wrong verification code.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::UserAction),
        en: "user entered incorrect PIN",
        sv: "användaren har angett en felaktig PIN-kod",
        nl: "gebruiker heeft onjuiste pincode ingevoerd",
        fr: "l’utilisateur a entré un code PIN erroné",
        ja: "ユーザーが不適切な PIN を入力しました",
        meaning: "The user entered a wrong PIN.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::UserAction),
        en: "user hung up the phone call without succeeding the authentication",
        sv: "användaren avslutade telefonsamtalet utan att ha slutfört autentiseringen",
        nl: "gebruiker heeft opgehangen zonder te verifiëren",
        fr: "l’utilisateur a raccroché l’appel téléphonique sans réussir l’authentification",
        ja: "ユーザーが認証に成功しないまま電話を切りました",
        meaning: "The user answered the call and hung up without confirming.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::Configuration),
        en: "user is blocked",
        sv: "användaren har blockerats",
        nl: "gebruiker is geblokkeerd",
        fr: "l’utilisateur est bloqué",
        ja: "ユーザーはブロックされています",
        meaning: "The user (or their phone number) is blocked from MFA.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::UserAction),
        en: "user never entered the verification code",
        sv: "användaren angav aldrig verifieringskoden",
        nl: "gebruiker heeft de verificatiecode niet ingevoerd",
        fr: "l’utilisateur n’a jamais entré le code de vérification",
        ja: "ユーザーは確認コードを入力しませんでした",
        meaning: "The user never entered the code that was sent.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::Configuration),
        en: "user not found",
        sv: "användaren kunde inte hittas",
        nl: "gebruiker is niet gevonden",
        fr: "utilisateur non trouvé",
        ja: "ユーザーが見つかりません",
        meaning: "The MFA service does not know this user.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::UserAction),
        en: "verification code already used once",
        sv: "verifieringskoden har redan använts en gång",
        nl: "verificatiecode is al gebruikt",
        fr: "code de vérification déjà utilisé une fois",
        ja: "確認コードは既に使用されています",
        meaning: "The code had already been used; each code works once.",
    },
    Reason {
        class: Class::Satisfied,
        group: None,
        en: "redirected to external provider for multi-factor authentication",
        sv: "",
        nl: "",
        fr: "",
        ja: "",
        meaning: "MFA was handed to an external provider (a custom control or federated MFA); its result decides.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::SuspectedFraud),
        en: "fraud reported",
        sv: "",
        nl: "",
        fr: "",
        ja: "",
        meaning: "The user reported the prompt as fraud: someone else knew the password.",
    },
];

/// Whether a result code means the MFA attempt passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Success,
    Failure,
    /// Depends on the user's mode or is still pending: read the meaning.
    Check,
}

/// A result code of a downloaded activity report (MFA Server and the NPS extension).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ResultCode {
    pub code: &'static str,
    pub outcome: Outcome,
    pub title: &'static str,
    pub meaning: &'static str,
}

pub const RESULT_CODES: &[ResultCode] = &[
    ResultCode {
        code: "SUCCESS_WITH_PIN",
        outcome: Outcome::Success,
        title: "PIN entered",
        meaning: "The user keyed in a PIN on the call. Success means it was right; a denial means a wrong PIN, or a user set to standard mode.",
    },
    ResultCode {
        code: "SUCCESS_NO_PIN",
        outcome: Outcome::Check,
        title: "Only # entered",
        meaning: "The user pressed # without a PIN. Correct in standard mode; a denial for a user in PIN mode, who skipped the PIN.",
    },
    ResultCode {
        code: "SUCCESS_WITH_PIN_BUT_TIMEOUT",
        outcome: Outcome::Failure,
        title: "# not pressed after the entry",
        meaning: "Digits were typed but never sent, because the entry was not ended with #.",
    },
    ResultCode {
        code: "SUCCESS_NO_PIN_BUT_TIMEOUT",
        outcome: Outcome::Failure,
        title: "No phone input before the time limit",
        meaning: "The call was answered but nothing was pressed; usually voicemail picked up.",
    },
    ResultCode {
        code: "SUCCESS_PIN_EXPIRED",
        outcome: Outcome::Success,
        title: "PIN expired and changed",
        meaning: "The user's PIN had expired; they were asked to change it and did.",
    },
    ResultCode {
        code: "SUCCESS_USED_CACHE",
        outcome: Outcome::Success,
        title: "Cache used",
        meaning: "No call was made: the same username passed MFA within the configured caching window.",
    },
    ResultCode {
        code: "SUCCESS_BYPASSED_AUTH",
        outcome: Outcome::Success,
        title: "Authentication bypassed",
        meaning: "A one-time bypass an administrator granted was used instead of MFA; review who granted it and why.",
    },
    ResultCode {
        code: "SUCCESS_USED_IP_BASED_CACHE",
        outcome: Outcome::Success,
        title: "IP-based cache used",
        meaning: "No call was made: the same username, method, application and IP address passed MFA within the caching window.",
    },
    ResultCode {
        code: "SUCCESS_USED_APP_BASED_CACHE",
        outcome: Outcome::Success,
        title: "App-based cache used",
        meaning: "No call was made: the same username, method and application passed MFA within the caching window.",
    },
    ResultCode {
        code: "SUCCESS_INVALID_INPUT",
        outcome: Outcome::Failure,
        title: "Invalid phone input",
        meaning: "The tones sent back were not valid: a fax or modem answered, or the user pressed * in the PIN.",
    },
    ResultCode {
        code: "SUCCESS_USER_BLOCKED",
        outcome: Outcome::Failure,
        title: "User is blocked",
        meaning: "The user's phone number is blocked, by the user during a call, by an administrator, or after a fraud alert.",
    },
    ResultCode {
        code: "SUCCESS_SMS_AUTHENTICATED",
        outcome: Outcome::Success,
        title: "Text message authenticated",
        meaning: "In two-way SMS the user replied with the right one-time code (and PIN, if required).",
    },
    ResultCode {
        code: "SUCCESS_SMS_SENT",
        outcome: Outcome::Success,
        title: "Text message sent",
        meaning: "The SMS with the one-time code went out; the user still has to enter the code to finish.",
    },
    ResultCode {
        code: "SUCCESS_PHONE_APP_AUTHENTICATED",
        outcome: Outcome::Success,
        title: "Mobile app authenticated",
        meaning: "The user approved the sign-in in the mobile app.",
    },
    ResultCode {
        code: "SUCCESS_OATH_CODE_PENDING",
        outcome: Outcome::Check,
        title: "OATH code pending",
        meaning: "The user was asked for an OATH code and has not answered.",
    },
    ResultCode {
        code: "SUCCESS_OATH_CODE_VERIFIED",
        outcome: Outcome::Success,
        title: "OATH code verified",
        meaning: "The user entered a valid OATH code when asked.",
    },
    ResultCode {
        code: "SUCCESS_FALLBACK_OATH_CODE_VERIFIED",
        outcome: Outcome::Success,
        title: "Fallback OATH code verified",
        meaning: "The primary method failed, then the user passed with an OATH code as fallback.",
    },
    ResultCode {
        code: "SUCCESS_FALLBACK_SECURITY_QUESTIONS_ANSWERED",
        outcome: Outcome::Success,
        title: "Fallback security questions answered",
        meaning: "The primary method failed, then the user answered the security questions correctly.",
    },
    ResultCode {
        code: "FAILED_PHONE_BUSY",
        outcome: Outcome::Failure,
        title: "Authentication already in progress",
        meaning: "MFA was already handling an authentication for this user; typically a RADIUS client sending several requests for one sign-in.",
    },
    ResultCode {
        code: "CONFIG_ISSUE",
        outcome: Outcome::Failure,
        title: "Phone unreachable",
        meaning: "A call was attempted but could not be completed: busy, fast busy, number out of service, no answer, and the like.",
    },
    ResultCode {
        code: "FAILED_INVALID_PHONENUMBER",
        outcome: Outcome::Failure,
        title: "Invalid phone number format",
        meaning: "The stored number is not valid: it must be numeric, with the country code (+1 and 10 digits for the US and Canada).",
    },
    ResultCode {
        code: "FAILED_USER_HUNGUP_ON_US",
        outcome: Outcome::Failure,
        title: "User hung up",
        meaning: "The user answered and hung up without pressing anything.",
    },
    ResultCode {
        code: "FAILED_INVALID_EXTENSION",
        outcome: Outcome::Failure,
        title: "Invalid extension",
        meaning: "The extension holds characters other than digits, commas, * and # (an @ prefix is allowed).",
    },
    ResultCode {
        code: "FAILED_FRAUD_CODE_ENTERED",
        outcome: Outcome::Failure,
        title: "Fraud code entered",
        meaning: "The user reported fraud during the call: the sign-in was denied and the number blocked. Treat it as a possible attack.",
    },
    ResultCode {
        code: "FAILED_SERVER_ERROR",
        outcome: Outcome::Failure,
        title: "Unable to place the call",
        meaning: "The MFA service could not place the call.",
    },
    ResultCode {
        code: "FAILED_SMS_NOT_SENT",
        outcome: Outcome::Failure,
        title: "Text message could not be sent",
        meaning: "The SMS could not be sent, so the sign-in was denied.",
    },
    ResultCode {
        code: "FAILED_SMS_OTP_INCORRECT",
        outcome: Outcome::Failure,
        title: "Text message code incorrect",
        meaning: "The user entered a wrong one-time code from the SMS.",
    },
    ResultCode {
        code: "FAILED_SMS_OTP_PIN_INCORRECT",
        outcome: Outcome::Failure,
        title: "Text message code + PIN incorrect",
        meaning: "The one-time code, the PIN, or both were wrong.",
    },
    ResultCode {
        code: "FAILED_SMS_MAX_OTP_RETRY_REACHED",
        outcome: Outcome::Failure,
        title: "Maximum code attempts exceeded",
        meaning: "The user ran out of attempts at the one-time code.",
    },
    ResultCode {
        code: "FAILED_PHONE_APP_DENIED",
        outcome: Outcome::Failure,
        title: "Mobile app denied",
        meaning: "The user tapped Deny in the mobile app. If they did not start the sign-in, treat it as an attack.",
    },
    ResultCode {
        code: "FAILED_PHONE_APP_INVALID_PIN",
        outcome: Outcome::Failure,
        title: "Mobile app invalid PIN",
        meaning: "The user entered a wrong PIN in the mobile app.",
    },
    ResultCode {
        code: "FAILED_PHONE_APP_PIN_NOT_CHANGED",
        outcome: Outcome::Failure,
        title: "Mobile app PIN not changed",
        meaning: "The app required a PIN change that the user did not finish.",
    },
    ResultCode {
        code: "FAILED_FRAUD_REPORTED",
        outcome: Outcome::Failure,
        title: "Fraud reported",
        meaning: "The user reported fraud in the mobile app. Treat it as a possible attack.",
    },
    ResultCode {
        code: "FAILED_PHONE_APP_NO_RESPONSE",
        outcome: Outcome::Failure,
        title: "Mobile app no response",
        meaning: "The user did not respond to the mobile app request.",
    },
    ResultCode {
        code: "FAILED_PHONE_APP_ALL_DEVICES_BLOCKED",
        outcome: Outcome::Failure,
        title: "Mobile app all devices blocked",
        meaning: "The user's app devices no longer answer notifications and are blocked; the user must set up the app again.",
    },
    ResultCode {
        code: "FAILED_PHONE_APP_NOTIFICATION_FAILED",
        outcome: Outcome::Failure,
        title: "Mobile app notification failed",
        meaning: "Sending the notification to the app on the user's device failed.",
    },
    ResultCode {
        code: "FAILED_PHONE_APP_INVALID_RESULT",
        outcome: Outcome::Failure,
        title: "Mobile app invalid result",
        meaning: "The mobile app sent back a result the service could not use.",
    },
    ResultCode {
        code: "FAILED_OATH_CODE_INCORRECT",
        outcome: Outcome::Failure,
        title: "OATH code incorrect",
        meaning: "The user entered a wrong OATH code.",
    },
    ResultCode {
        code: "FAILED_OATH_CODE_PIN_INCORRECT",
        outcome: Outcome::Failure,
        title: "OATH code + PIN incorrect",
        meaning: "The OATH code, the PIN, or both were wrong.",
    },
    ResultCode {
        code: "FAILED_OATH_CODE_DUPLICATE",
        outcome: Outcome::Failure,
        title: "Duplicate OATH code",
        meaning: "The OATH code had already been used once.",
    },
    ResultCode {
        code: "FAILED_OATH_CODE_OLD",
        outcome: Outcome::Failure,
        title: "OATH code out of date",
        meaning: "The OATH code is older than one already used.",
    },
    ResultCode {
        code: "FAILED_OATH_TOKEN_TIMEOUT",
        outcome: Outcome::Failure,
        title: "OATH code result timeout",
        meaning: "The user took too long to enter the OATH code; the attempt had already timed out.",
    },
    ResultCode {
        code: "FAILED_SECURITY_QUESTIONS_TIMEOUT",
        outcome: Outcome::Failure,
        title: "Security questions timeout",
        meaning: "The user took too long to answer the security questions; the attempt had already timed out.",
    },
    ResultCode {
        code: "FAILED_AUTH_RESULT_TIMEOUT",
        outcome: Outcome::Failure,
        title: "Authentication result timeout",
        meaning: "The user took too long to complete the MFA attempt.",
    },
    ResultCode {
        code: "FAILED_AUTHENTICATION_THROTTLED",
        outcome: Outcome::Failure,
        title: "Authentication throttled",
        meaning: "The service throttled the MFA attempts (too many in a short time).",
    },
];
