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
    /// What the reason means, for an admin, in our own words.
    pub meaning: &'static str,
    /// What to look at or do about it.
    pub check: &'static str,
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
        meaning: "Entra ID prompted the user for a second factor during this very sign-in, and the user passed it.",
        check: "Nothing to fix; the method column says which factor the user chose.",
    },
    Reason {
        class: Class::Satisfied,
        group: None,
        en: "has expired due to the policies configured on tenant",
        sv: "har upphört på grund av de principer som konfigurerats på klienten",
        nl: "verlopen als gevolg van beleid dat is geconfigureerd in de tenant",
        fr: "a expiré en raison des politiques configurées pour l’abonné",
        ja: "テナントに構成されているポリシーのため期限が切れました",
        meaning: "The session's earlier MFA was older than a tenant policy allows (a sign-in frequency, for instance), so the user had to prove it again.",
        check: "Expected under a sign-in frequency policy; if users complain of constant prompts, review that policy's interval.",
    },
    Reason {
        class: Class::Satisfied,
        group: None,
        en: "registration prompted",
        sv: "uppmaning om registrering",
        nl: "registratie gevraagd",
        fr: "inscription demandée",
        ja: "登録がプロンプトされました",
        meaning: "Before going on, the sign-in sent the user to set up MFA methods: when it began, the user had none.",
        check: "Make sure the registration was finished (mfa-audit audit on a fresh export); a user who sees this again never completed it.",
    },
    Reason {
        class: Class::Satisfied,
        group: None,
        en: "satisfied by claim in the token",
        sv: "uppfyllt av anspråk i token",
        nl: "voldaan door de claim in het token",
        fr: "satisfaite par une revendication dans le jeton",
        ja: "トークンの要求によって満たされました",
        meaning: "No prompt this time: the session's token already carried proof of an MFA done on an earlier sign-in.",
        check: "Normal for repeat sign-ins; the prompt itself is on an earlier sign-in of the same session.",
    },
    Reason {
        class: Class::Satisfied,
        group: None,
        en: "satisfied by claim provided by external provider",
        sv: "uppfyllt av anspråk som tillhandahållits av en extern provider",
        nl: "voldaan door de claim geleverd door de externe provider",
        fr: "satisfaite par une revendication fournie par un fournisseur externe",
        ja: "外部プロバイダーから送信された要求によって満たされました",
        meaning: "A federated identity provider (AD FS or another) performed the second factor and vouched for it in its claims.",
        check: "Entra ID takes that claim on trust: check that the provider really enforces MFA and that the domain's federation settings accept its MFA on purpose.",
    },
    Reason {
        class: Class::Satisfied,
        group: None,
        en: "satisfied by strong authentication",
        sv: "uppfyllt av stark autentisering",
        nl: "voldaan door geavanceerde verificatie",
        fr: "satisfaite par l’authentification forte",
        ja: "強力な認証によって満たされました",
        meaning: "The credential itself counts as two factors: passwordless phone sign-in, a FIDO2 key, Windows Hello for Business or a certificate.",
        check: "Nothing to fix; these are the strongest methods there are.",
    },
    Reason {
        class: Class::Satisfied,
        group: None,
        en: "skipped as flow exercised was Windows broker logon flow",
        sv: "hoppades över eftersom flödet som utnyttjades var flödet för inloggning av asynkron Windows-meddelandekö",
        nl: "overgeslagen omdat de uitgevoerde stroom een Windows broker-aanmeldingsstroom is",
        fr: "ignorée, car le flux testé était un flux d’ouverture de session de répartiteur de service Windows",
        ja: "実行されたフローが Windows ブローカー ログオン フローのためスキップされました",
        meaning: "The sign-in came through the Windows logon broker, a path on which no prompt is shown.",
        check: "This is not MFA performed: do not read it as proof that the user did a second factor.",
    },
    Reason {
        class: Class::Satisfied,
        group: None,
        en: "skipped due to app password",
        sv: "hoppades över på grund av applösenord",
        nl: "overgeslagen vanwege een app-wachtwoord",
        fr: "ignorée en raison de mot de passe",
        ja: "アプリ パスワードによりスキップされました",
        meaning: "A legacy client signed in with an app password, which waives the requirement: no second factor took place.",
        check: "Find the clients still on app passwords, move them to modern authentication, then switch app passwords off.",
    },
    Reason {
        class: Class::Satisfied,
        group: None,
        en: "skipped due to location",
        sv: "hoppades över på grund av plats",
        nl: "overgeslagen vanwege de locatie",
        fr: "ignorée en raison d’emplacement",
        ja: "場所によりスキップされました",
        meaning: "The sign-in came from a network the MFA settings trust (a trusted IP range), so no prompt was shown.",
        check: "Review the trusted IP ranges: one drawn too wide exempts far more sign-ins than intended.",
    },
    Reason {
        class: Class::Satisfied,
        group: None,
        en: "skipped due to registered device",
        sv: "hoppades över på grund av en registrerad enhet",
        nl: "overgeslagen vanwege een geregistreerd apparaat",
        fr: "ignorée en raison de l’appareil enregistré",
        ja: "登録済みデバイスによりスキップされました",
        meaning: "The device is registered with Entra ID, and the policy let that stand in for the prompt.",
        check: "Check that exempting registered devices is meant, and for which users.",
    },
    Reason {
        class: Class::Satisfied,
        group: None,
        en: "skipped due to remembered device",
        sv: "hoppades över på grund av en sparad enhet",
        nl: "overgeslagen vanwege een geregistreerd apparaat",
        fr: "ignorée en raison de l’appareil mémorisé",
        ja: "記憶済みデバイスによりスキップされました",
        meaning: "On an earlier visit the user ticked the box to remember MFA on this device; inside that period no prompt appears.",
        check: "The period is set in the per-user MFA service settings; shorten it if it is longer than your policy wants.",
    },
    Reason {
        class: Class::Satisfied,
        group: None,
        en: "successfully completed",
        sv: "slutfördes",
        nl: "voltooid",
        fr: "réussie",
        ja: "正常に完了しました",
        meaning: "The user was prompted and passed the second factor.",
        check: "Nothing to fix; the method column says which factor.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::Service),
        en: "authentication in-progress",
        sv: "autentisering pågår",
        nl: "verificatie wordt uitgevoerd",
        fr: "authentification en cours",
        ja: "認証が進行中",
        meaning: "A request for the same user was still open when this one came in, most often because a client sent the sign-in again.",
        check: "Look for a client (RADIUS, the NPS extension, a VPN) that repeats requests, and raise its timeout.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::Service),
        en: "duplicate authentication attempt",
        sv: "duplicera autentiseringsförsök",
        nl: "dubbele verificatiepoging",
        fr: "double tentative d’authentification",
        ja: "重複する認証試行",
        meaning: "The same sign-in arrived at MFA twice and the copy was refused.",
        check: "Look for a RADIUS or NPS extension client that retries too fast; the user may still have succeeded on the first copy.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::UserAction),
        en: "entered incorrect code too many times",
        sv: "angett felaktig kod för många gånger",
        nl: "onjuiste code te vaak ingevoerd",
        fr: "code erroné entré beaucoup de fois",
        ja: "不適切なコードが何度も入力されました",
        meaning: "The user kept typing wrong codes until no tries were left.",
        check: "Ask the user whether the sign-in was theirs; if so, check the clock and the account set up in their app or token.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::Service),
        en: "invalid authentication",
        sv: "ogiltig autentisering",
        nl: "ongeldige verificatie",
        fr: "authentification invalide",
        ja: "無効な認証",
        meaning: "The answer that came back could not be verified, so the sign-in was refused.",
        check: "For one user, have them register the method again; for many at once, check service health.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::UserAction),
        en: "invalid mobile app verification code",
        sv: "ogiltig verifieringskod från mobilapp",
        nl: "ongeldig verificatiecode via mobiele app",
        fr: "code de vérification de l’application mobile incorrect",
        ja: "無効なモバイル アプリ確認コード",
        meaning: "The code typed from the authenticator app was not accepted.",
        check: "Check the phone's clock (the codes depend on it) and that the app holds the right account.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::Configuration),
        en: "misconfiguration",
        sv: "felaktig konfiguration",
        nl: "onjuiste configuratie",
        fr: "configuration incorrecte",
        ja: "構成の誤り",
        meaning: "MFA could not run because something in its set-up is wrong for this user or this connection.",
        check: "Check the NPS extension or the federation set-up in front of this sign-in, and the user's registered methods.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::PhoneDelivery),
        en: "phone call went to voicemail",
        sv: "telefonsamtalet dirigerades till röstmeddelanden",
        nl: "telefonische oproep verzonden naar voicemail",
        fr: "appel téléphonique passé à la messagerie vocale",
        ja: "ボイスメールに対する電話の呼び出し",
        meaning: "Voicemail took the verification call, so no key was pressed.",
        check: "Confirm the number on file, and offer the user the Authenticator app instead of calls.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::PhoneDelivery),
        en: "phone number has an invalid format",
        sv: "telefonnumret har ett ogiltigt format",
        nl: "telefoonnummer heeft een ongeldige indeling",
        fr: "numéro de téléphone de format invalide",
        ja: "電話番号の形式が正しくありません",
        meaning: "The number registered for the user is not one the service can call or text.",
        check: "Correct the number in the user's authentication methods: the country code, then digits only.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::Service),
        en: "service error",
        sv: "tjänstfel",
        nl: "servicefout",
        fr: "erreur de service",
        ja: "サービス エラー",
        meaning: "The MFA service itself failed while handling the request.",
        check: "Usually passes by itself; if it lasts, look at Entra service health.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::PhoneDelivery),
        en: "unable to reach the user’s phone",
        sv: "Det gick inte att komma åt användarens telefon",
        nl: "kan de telefoon van de gebruiker niet bereiken",
        fr: "téléphone de l’utilisateur injoignable",
        ja: "ユーザーの電話にアクセスできません",
        meaning: "The call or text did not get through: the phone was off, busy or had no signal.",
        check: "Confirm the number, and offer the app for users who are often out of reach.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::PhoneDelivery),
        en: "unable to send the mobile app notification to the device",
        sv: "kunde inte skicka meddelande via mobilapp till enheten",
        nl: "kan de mobiele-app-melding niet verzenden naar het apparaat",
        fr: "Impossible d’envoyer la notification d’application mobile à l’appareil",
        ja: "モバイル アプリ通知をデバイスに送信できません",
        meaning: "The push could not be delivered to the device the app is registered on.",
        check: "Have the user open the app and allow its notifications; set the app up again if it keeps happening.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::PhoneDelivery),
        en: "unable to send the mobile app notification",
        sv: "kunde inte skicka meddelande via mobilapp",
        nl: "kan de mobiele-app-melding niet verzenden",
        fr: "Impossible d’envoyer la notification d’application mobile",
        ja: "モバイル アプリ通知を送信できません",
        meaning: "The push could not be sent out at all.",
        check: "Have the user open the app and allow its notifications; set the app up again if it keeps happening.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::UserAction),
        en: "user declined the authentication",
        sv: "användaren nekade autentiseringen",
        nl: "gebruiker heeft verificatie geweigerd",
        fr: "refus de l’authentification par l’utilisateur",
        ja: "ユーザーが認証を拒否しました",
        meaning: "The user answered the prompt with deny.",
        check: "Ask the user whether the sign-in was theirs; if not, someone knows the password: reset it and revoke the sessions (a run of these is MFA fatigue).",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::UserAction),
        en: "user did not respond to mobile app notification",
        sv: "användaren svarade inte på meddelandet via mobilappen",
        nl: "gebruiker heeft niet gereageerd op mobiele-app-melding",
        fr: "l’utilisateur n’a pas répondu à la notification d’application mobile",
        ja: "ユーザーがモバイル アプリ通知に応答しませんでした",
        meaning: "The push went unanswered until it timed out.",
        check: "A user who did not start the sign-in may be ignoring a stream of prompts: look for repeated attempts from one place.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::Configuration),
        en: "user does not have any verification methods registered",
        sv: "användaren har inte några verifieringsmetoder registrerade",
        nl: "gebruiker heeft geen verificatiemethoden geregistreerd",
        fr: "l’utilisateur ne dispose pas de toutes les méthodes de vérification enregistrés",
        ja: "ユーザーが確認方法を登録していません",
        meaning: "MFA was required, but the user has no method it could challenge.",
        check: "Get the user registered; mfa-audit audit lists every user without a method.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::UserAction),
        en: "user entered incorrect code",
        sv: "användaren har angett en felaktig kod",
        nl: "gebruiker heeft onjuiste code ingevoerd",
        fr: "l’utilisateur a entré un code erroné",
        ja: "ユーザーが不適切なコードを入力しました",
        meaning: "The code the user typed did not match.",
        check: "One slip is normal; repeats point to the wrong account in the app, a clock problem or someone guessing.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::UserAction),
        en: "user entered incorrect PIN",
        sv: "användaren har angett en felaktig PIN-kod",
        nl: "gebruiker heeft onjuiste pincode ingevoerd",
        fr: "l’utilisateur a entré un code PIN erroné",
        ja: "ユーザーが不適切な PIN を入力しました",
        meaning: "The PIN the user typed is not theirs.",
        check: "Reset the PIN if the user has forgotten it.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::UserAction),
        en: "user hung up the phone call without succeeding the authentication",
        sv: "användaren avslutade telefonsamtalet utan att ha slutfört autentiseringen",
        nl: "gebruiker heeft opgehangen zonder te verifiëren",
        fr: "l’utilisateur a raccroché l’appel téléphonique sans réussir l’authentification",
        ja: "ユーザーが認証に成功しないまま電話を切りました",
        meaning: "The user picked up the verification call and ended it without confirming.",
        check: "Ask the user; hanging up on a call they did not expect can mean someone else tried to sign in.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::Configuration),
        en: "user is blocked",
        sv: "användaren har blockerats",
        nl: "gebruiker is geblokkeerd",
        fr: "l’utilisateur est bloqué",
        ja: "ユーザーはブロックされています",
        meaning: "MFA refuses this user or this number: an administrator blocked it, or a fraud report did.",
        check: "Review the blocked users list and its history; unblock only once any fraud report is cleared.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::UserAction),
        en: "user never entered the verification code",
        sv: "användaren angav aldrig verifieringskoden",
        nl: "gebruiker heeft de verificatiecode niet ingevoerd",
        fr: "l’utilisateur n’a jamais entré le code de vérification",
        ja: "ユーザーは確認コードを入力しませんでした",
        meaning: "A code was sent, and the user never typed it.",
        check: "Check that texts reach the user; offer the app instead.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::Configuration),
        en: "user not found",
        sv: "användaren kunde inte hittas",
        nl: "gebruiker is niet gevonden",
        fr: "utilisateur non trouvé",
        ja: "ユーザーが見つかりません",
        meaning: "The MFA service has no record of this user.",
        check: "Check that the user exists and syncs; behind the NPS extension, check which user name it sends.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::UserAction),
        en: "verification code already used once",
        sv: "verifieringskoden har redan använts en gång",
        nl: "verificatiecode is al gebruikt",
        fr: "code de vérification déjà utilisé une fois",
        ja: "確認コードは既に使用されています",
        meaning: "A code that had already been accepted was typed a second time; each code works once.",
        check: "Have the user wait for the next code.",
    },
    Reason {
        class: Class::Satisfied,
        group: None,
        en: "redirected to external provider for multi-factor authentication",
        sv: "",
        nl: "",
        fr: "",
        ja: "",
        meaning: "The second factor was handed to a provider outside Entra ID (a custom control or an external authentication method); its answer decides.",
        check: "Read that provider's own logs for the outcome; this line alone does not say MFA passed.",
    },
    Reason {
        class: Class::Denied,
        group: Some(Group::SuspectedFraud),
        en: "fraud reported",
        sv: "",
        nl: "",
        fr: "",
        ja: "",
        meaning: "The user said the prompt was not theirs and flagged it as fraud.",
        check: "Treat it as a compromise: contact the user, reset the password, revoke sessions and review the recent sign-ins.",
    },
];

/// Whether a result code means the MFA attempt passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Success,
    Failure,
    /// Either way: the code alone does not say (a PIN typed that may be wrong, a PIN change
    /// left unfinished); the authentication result beside it decides.
    Check,
    /// A first half: a code was sent or asked for, and a later result says whether the user
    /// completed it. Never a success by itself.
    Pending,
}

/// A result code of a downloaded activity report (MFA Server and the NPS extension).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ResultCode {
    pub code: &'static str,
    pub outcome: Outcome,
    pub title: &'static str,
    /// What the code means, in our own words (the `SUCCESS_` prefix of some codes describes
    /// the call, not the authentication: the outcome says which).
    pub meaning: &'static str,
    /// What to look at or do about it.
    pub check: &'static str,
}

pub const RESULT_CODES: &[ResultCode] = &[
    ResultCode {
        code: "SUCCESS_WITH_PIN",
        outcome: Outcome::Check,
        title: "PIN keyed on the call",
        meaning: "The user typed a PIN during the verification call. The code alone does not say whether it was accepted: a wrong PIN, or a user in standard mode who should only press #, ends in a denial.",
        check: "Read the authentication result beside it; a denial means a wrong PIN or the wrong mode for this user.",
    },
    ResultCode {
        code: "SUCCESS_NO_PIN",
        outcome: Outcome::Check,
        title: "Only the # key",
        meaning: "The user pressed # and no PIN. Right for a user in standard mode; for a user set to PIN mode the PIN was skipped and the sign-in refused.",
        check: "Compare with the user's mode and the authentication result.",
    },
    ResultCode {
        code: "SUCCESS_WITH_PIN_BUT_TIMEOUT",
        outcome: Outcome::Failure,
        title: "Keys typed, # never pressed",
        meaning: "Nothing reached the service: keys pressed on the call only go through once the entry is closed with #.",
        check: "Tell the user to finish the PIN with #.",
    },
    ResultCode {
        code: "SUCCESS_NO_PIN_BUT_TIMEOUT",
        outcome: Outcome::Failure,
        title: "Call picked up, no key pressed",
        meaning: "Someone or something took the call, but no key came before the time ran out; most often a voicemail box.",
        check: "Check that the user answers calls in person, or move them to the app.",
    },
    ResultCode {
        code: "SUCCESS_PIN_EXPIRED",
        outcome: Outcome::Check,
        title: "PIN out of date, not replaced",
        meaning: "The user's PIN had expired and they were asked for a new one, but the change did not go through. Not a success, whatever the prefix says.",
        check: "Have the user set a new PIN; until then their calls in PIN mode keep failing.",
    },
    ResultCode {
        code: "SUCCESS_USED_CACHE",
        outcome: Outcome::Success,
        title: "Earlier MFA reused",
        meaning: "No call was made: the same user had passed MFA within the server's cache period.",
        check: "Check that the cache period in the MFA Server settings is as short as intended.",
    },
    ResultCode {
        code: "SUCCESS_BYPASSED_AUTH",
        outcome: Outcome::Success,
        title: "One-time bypass",
        meaning: "An administrator's one-time bypass let the user in with no second factor.",
        check: "Read the bypass history: who granted it, for whom, and why.",
    },
    ResultCode {
        code: "SUCCESS_USED_IP_BASED_CACHE",
        outcome: Outcome::Success,
        title: "Earlier MFA reused, same IP",
        meaning: "No call was made: the same user, method and application had passed MFA from this very IP address within the cache period.",
        check: "Check that the cache period in the MFA Server settings is as short as intended.",
    },
    ResultCode {
        code: "SUCCESS_USED_APP_BASED_CACHE",
        outcome: Outcome::Success,
        title: "Earlier MFA reused, same application",
        meaning: "No call was made: the same user, method and application had passed MFA within the cache period.",
        check: "Check that the cache period in the MFA Server settings is as short as intended.",
    },
    ResultCode {
        code: "SUCCESS_INVALID_INPUT",
        outcome: Outcome::Failure,
        title: "Unreadable key tones",
        meaning: "The tones from the phone made no sense to the service: a fax or a modem answered, or a * was typed in the PIN.",
        check: "Make sure the number reaches a person; PINs are digits only.",
    },
    ResultCode {
        code: "SUCCESS_USER_BLOCKED",
        outcome: Outcome::Failure,
        title: "Number blocked",
        meaning: "The phone number is blocked, by the user during a call, by an administrator, or automatically after a fraud alert.",
        check: "Review the block history; unblock only once any fraud report is cleared.",
    },
    ResultCode {
        code: "SUCCESS_SMS_AUTHENTICATED",
        outcome: Outcome::Success,
        title: "Text reply accepted",
        meaning: "With two-way text messages, the user answered with the right code (and the PIN when one is asked).",
        check: "Nothing to fix; consider moving text-message users to the app.",
    },
    ResultCode {
        code: "SUCCESS_SMS_SENT",
        outcome: Outcome::Pending,
        title: "Text with a code sent",
        meaning: "The text with the one-time code went out. That is only half of it: MFA is done once the user types the code back, which a later result records.",
        check: "Look for the result that follows (code verified, wrong code, code never typed) before counting it.",
    },
    ResultCode {
        code: "SUCCESS_PHONE_APP_AUTHENTICATED",
        outcome: Outcome::Success,
        title: "Approved in the app",
        meaning: "The user approved the request in the authenticator app.",
        check: "Nothing to fix.",
    },
    ResultCode {
        code: "SUCCESS_OATH_CODE_PENDING",
        outcome: Outcome::Pending,
        title: "Waiting for a token code",
        meaning: "The user was asked for the code of a hardware or software token and had not answered yet.",
        check: "Look for the result that follows; on its own it is neither a pass nor a denial.",
    },
    ResultCode {
        code: "SUCCESS_OATH_CODE_VERIFIED",
        outcome: Outcome::Success,
        title: "Token code accepted",
        meaning: "The code from the user's hardware or software token matched.",
        check: "Nothing to fix.",
    },
    ResultCode {
        code: "SUCCESS_FALLBACK_OATH_CODE_VERIFIED",
        outcome: Outcome::Success,
        title: "Token code accepted after the first method failed",
        meaning: "The user's main method did not work; they got in with a token code instead.",
        check: "Find out why the main method fails for this user.",
    },
    ResultCode {
        code: "SUCCESS_FALLBACK_SECURITY_QUESTIONS_ANSWERED",
        outcome: Outcome::Success,
        title: "Security questions accepted after the first method failed",
        meaning: "The main method did not work, and the user got in by answering security questions, a weak second chance.",
        check: "Find out why the main method fails; security answers are easy to learn or guess.",
    },
    ResultCode {
        code: "FAILED_PHONE_BUSY",
        outcome: Outcome::Failure,
        title: "Another request for this user still open",
        meaning: "The service was still busy with an earlier request for this user; RADIUS clients that send one sign-in several times cause this.",
        check: "Check the retry and timeout settings of the RADIUS or NPS extension client.",
    },
    ResultCode {
        code: "CONFIG_ISSUE",
        outcome: Outcome::Failure,
        title: "Call did not get through",
        meaning: "A call was tried but never connected or never answered: busy, cut off, a number out of service, ringing out.",
        check: "Verify the number and that the user can take calls on it.",
    },
    ResultCode {
        code: "FAILED_INVALID_PHONENUMBER",
        outcome: Outcome::Failure,
        title: "Number not valid",
        meaning: "The stored number is not a valid one; for the US and Canada, +1 has to be followed by ten digits.",
        check: "Correct the number in the user's authentication methods.",
    },
    ResultCode {
        code: "FAILED_USER_HUNGUP_ON_US",
        outcome: Outcome::Failure,
        title: "User ended the call",
        meaning: "The user took the call and hung up without pressing a key.",
        check: "Ask whether the call was expected.",
    },
    ResultCode {
        code: "FAILED_INVALID_EXTENSION",
        outcome: Outcome::Failure,
        title: "Extension not valid",
        meaning: "The phone extension holds characters that cannot be dialled; only digits, commas, * and # work, with an optional leading @.",
        check: "Fix the extension on the user's office phone.",
    },
    ResultCode {
        code: "FAILED_FRAUD_CODE_ENTERED",
        outcome: Outcome::Failure,
        title: "Fraud reported on the call",
        meaning: "During the call the user chose to report fraud: the sign-in was refused and the number blocked.",
        check: "Treat it as a compromise: reset the password, revoke sessions, review recent sign-ins.",
    },
    ResultCode {
        code: "FAILED_SERVER_ERROR",
        outcome: Outcome::Failure,
        title: "Service could not call",
        meaning: "The MFA service failed to place the call.",
        check: "Usually passes; check service health if it repeats.",
    },
    ResultCode {
        code: "FAILED_SMS_NOT_SENT",
        outcome: Outcome::Failure,
        title: "Text not sent",
        meaning: "The text message never went out, so the sign-in could not finish.",
        check: "Check the number; consider moving the user off text messages.",
    },
    ResultCode {
        code: "FAILED_SMS_OTP_INCORRECT",
        outcome: Outcome::Failure,
        title: "Wrong code from the text",
        meaning: "The code typed back was not the one the text carried.",
        check: "One slip is normal; repeats point to someone guessing.",
    },
    ResultCode {
        code: "FAILED_SMS_OTP_PIN_INCORRECT",
        outcome: Outcome::Failure,
        title: "Wrong text code or PIN",
        meaning: "The code from the text, the PIN, or both, were wrong.",
        check: "Reset the PIN if the user has forgotten it.",
    },
    ResultCode {
        code: "FAILED_SMS_MAX_OTP_RETRY_REACHED",
        outcome: Outcome::Failure,
        title: "Out of tries at the text code",
        meaning: "The user used up every try at the code from the text.",
        check: "Ask the user whether the sign-in was theirs.",
    },
    ResultCode {
        code: "FAILED_PHONE_APP_DENIED",
        outcome: Outcome::Failure,
        title: "Denied in the app",
        meaning: "The user pressed Deny in the authenticator app.",
        check: "Ask whether the sign-in was theirs; if not, someone else knows the password.",
    },
    ResultCode {
        code: "FAILED_PHONE_APP_INVALID_PIN",
        outcome: Outcome::Failure,
        title: "Wrong PIN in the app",
        meaning: "The PIN typed in the app to approve the request was wrong.",
        check: "Reset the PIN if the user has forgotten it.",
    },
    ResultCode {
        code: "FAILED_PHONE_APP_PIN_NOT_CHANGED",
        outcome: Outcome::Failure,
        title: "App PIN change left unfinished",
        meaning: "The app asked for a new PIN, and the user did not finish changing it.",
        check: "Have the user open the app and complete the PIN change.",
    },
    ResultCode {
        code: "FAILED_FRAUD_REPORTED",
        outcome: Outcome::Failure,
        title: "Fraud flagged in the app",
        meaning: "Instead of approving, the user flagged the request in the app as not theirs.",
        check: "Treat it as a compromise: contact the user, reset the password, revoke sessions.",
    },
    ResultCode {
        code: "FAILED_PHONE_APP_NO_RESPONSE",
        outcome: Outcome::Failure,
        title: "No answer in the app",
        meaning: "The request in the authenticator app was never answered.",
        check: "If the user did not start the sign-in, look for a stream of prompts (MFA fatigue).",
    },
    ResultCode {
        code: "FAILED_PHONE_APP_ALL_DEVICES_BLOCKED",
        outcome: Outcome::Failure,
        title: "Every app device blocked",
        meaning: "None of the user's devices with the app react to pushes any more, and all of them were blocked.",
        check: "Have the user set the app up again.",
    },
    ResultCode {
        code: "FAILED_PHONE_APP_NOTIFICATION_FAILED",
        outcome: Outcome::Failure,
        title: "Push could not be delivered",
        meaning: "The push to the app on the user's phone did not arrive.",
        check: "Have the user allow the app's notifications; set the app up again if it repeats.",
    },
    ResultCode {
        code: "FAILED_PHONE_APP_INVALID_RESULT",
        outcome: Outcome::Failure,
        title: "Unusable answer from the app",
        meaning: "The app sent back an answer the service could not use.",
        check: "Update the app; register it again if it repeats.",
    },
    ResultCode {
        code: "FAILED_OATH_CODE_INCORRECT",
        outcome: Outcome::Failure,
        title: "Wrong token code",
        meaning: "The code from the hardware or software token did not match.",
        check: "Check the token's clock; resynchronise a hardware token.",
    },
    ResultCode {
        code: "FAILED_OATH_CODE_PIN_INCORRECT",
        outcome: Outcome::Failure,
        title: "Wrong token code or PIN",
        meaning: "The token code, the PIN, or both, were wrong.",
        check: "Reset the PIN if the user has forgotten it.",
    },
    ResultCode {
        code: "FAILED_OATH_CODE_DUPLICATE",
        outcome: Outcome::Failure,
        title: "Token code reused",
        meaning: "A token code that had already been spent was typed again.",
        check: "Have the user wait for the next code.",
    },
    ResultCode {
        code: "FAILED_OATH_CODE_OLD",
        outcome: Outcome::Failure,
        title: "Token code older than one already spent",
        meaning: "The code typed comes from before a code the user has already used, so it is stale.",
        check: "Check the token's clock drift; resynchronise a hardware token.",
    },
    ResultCode {
        code: "FAILED_OATH_TOKEN_TIMEOUT",
        outcome: Outcome::Failure,
        title: "Token code too late",
        meaning: "The token code came in after the MFA attempt had expired.",
        check: "Have the user start the sign-in again and type the code promptly.",
    },
    ResultCode {
        code: "FAILED_SECURITY_QUESTIONS_TIMEOUT",
        outcome: Outcome::Failure,
        title: "Security answers too late",
        meaning: "The answers to the security questions came in after the attempt had expired.",
        check: "Have the user start again; better, give them a stronger method.",
    },
    ResultCode {
        code: "FAILED_AUTH_RESULT_TIMEOUT",
        outcome: Outcome::Failure,
        title: "MFA not finished in time",
        meaning: "The user did not get through the second step before the attempt expired.",
        check: "Check that prompts reach the user in time; a slow text or a missed push is the usual cause.",
    },
    ResultCode {
        code: "FAILED_AUTHENTICATION_THROTTLED",
        outcome: Outcome::Failure,
        title: "Too many attempts",
        meaning: "The service slowed this user down after too many MFA attempts in a short time.",
        check: "Many attempts for one user can be an attack: review their sign-ins.",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Words of a text, lower case, for comparing phrasing.
    fn words(text: &str) -> Vec<String> {
        text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '\u{2019}'))
            .filter(|w| !w.is_empty())
            .map(|w| w.to_lowercase().replace('\u{2019}', "'"))
            .collect()
    }

    /// Every explanation is ours: none shares a run of eight words with Microsoft's English
    /// article (its result-code table and the sign-in report's description).
    #[test]
    fn explanations_are_in_our_own_words() {
        const RUN: usize = 8;
        let article = words(include_str!("../../tests/data/mfa-reporting-en.txt"));
        let theirs: std::collections::HashSet<&[String]> = article.windows(RUN).collect();
        let ours = RESULT_CODES
            .iter()
            .flat_map(|c| [(c.code, c.title), (c.code, c.meaning), (c.code, c.check)])
            .chain(
                REASONS
                    .iter()
                    .flat_map(|r| [(r.en, r.meaning), (r.en, r.check)]),
            );
        let mut copied = Vec::new();
        for (name, text) in ours {
            let w = words(text);
            if let Some(run) = w.windows(RUN).find(|run| theirs.contains(run)) {
                copied.push(format!("{name}: {:?}", run.join(" ")));
            }
        }
        assert!(copied.is_empty(), "copied phrasing:\n{}", copied.join("\n"));
        // The check is able to fail: the article's own sentence is caught.
        let sample = words("The user took too long to enter the OATH code and gave up");
        assert!(sample.windows(RUN).any(|run| theirs.contains(run)));
    }

    /// Corrections the Dutch, French and Japanese articles agree on: an expired PIN that was
    /// not changed is no success; a PIN typed can still end in a denial; a text sent is only
    /// the first half of an authentication.
    #[test]
    fn outcomes_that_are_not_successes() {
        let code = |name: &str| RESULT_CODES.iter().find(|c| c.code == name).unwrap();
        for (name, want) in [
            ("SUCCESS_PIN_EXPIRED", Outcome::Check),
            ("SUCCESS_WITH_PIN", Outcome::Check),
            ("SUCCESS_NO_PIN", Outcome::Check),
            ("SUCCESS_SMS_SENT", Outcome::Pending),
            ("SUCCESS_OATH_CODE_PENDING", Outcome::Pending),
            ("SUCCESS_NO_PIN_BUT_TIMEOUT", Outcome::Failure),
            ("SUCCESS_OATH_CODE_VERIFIED", Outcome::Success),
        ] {
            assert_eq!(code(name).outcome, want, "{name}");
        }
        assert!(code("SUCCESS_PIN_EXPIRED").title.contains("not replaced"));
        assert_eq!(RESULT_CODES.len(), 45);
        assert!(RESULT_CODES
            .iter()
            .all(|c| !c.meaning.is_empty() && !c.check.is_empty()));
        assert!(REASONS
            .iter()
            .all(|r| !r.meaning.is_empty() && !r.check.is_empty()));
    }
}
