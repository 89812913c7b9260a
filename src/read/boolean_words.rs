//! The words spreadsheet programs write for TRUE and FALSE when they save a boolean cell as text,
//! in every locale they ship: a data table for [`crate::read::boolean`].
//!
//! Where the words come from (never from memory):
//! - LibreOffice Calc writes a boolean cell through its number formatter, which prints the upper
//!   case of the locale data's reserved words: `<ReservedWords><trueWord>/<falseWord>` in
//!   `i18npool/source/localedata/data/<locale>.xml` (`svl/source/numbers/zforscan.cxx`). The
//!   document's locale decides, not the interface language. Older releases wrote Norwegian
//!   `SANT`/`USANT`, newer ones `SANN`/`USANN`: both are here.
//! - Excel writes the name of its TRUE/FALSE functions in its own language. Only Czech, Danish,
//!   Dutch, Finnish, French, German, Hungarian, Italian, Norwegian, Polish, Portuguese, Russian,
//!   Spanish, Swedish and Turkish have names of their own (Microsoft's localised pages of the TRUE
//!   function); every other language writes `TRUE`/`FALSE`.
//!
//! No word means TRUE in one language and FALSE in another, and several FALSE words contain their
//! TRUE word (`USANN`/`SANN`, `ONWAAR`/`WAAR`, `NET WIER`/`WIER`): cells are matched whole, never
//! by substring or word. The comment on each pair names the locales (language codes) that
//! write it.

/// (TRUE word, FALSE word) pairs in lower case, by the first locale that writes them.
pub(crate) const LOCALE_PAIRS: &[(&str, &str)] = &[
    ("waar", "vals"),              // LibreOffice af
    ("yiw", "daabi"),              // LibreOffice ak
    ("አውነት", "ሔሰት"),               // LibreOffice am
    ("verdadero", "falso"),        // LibreOffice an es ext; Excel es
    ("صح", "خطأ"),                 // LibreOffice ar
    ("صحيح", "خاطئ"),              // LibreOffice ar
    ("braero", "falso"),           // LibreOffice ast
    ("vrai", "faux"), // LibreOffice axk beq bkw bvx dde fr iyx kkw kng ldi mdw mkw ngz njx njy puu sdj tek tsa tyx vif xku yom; Excel fr
    ("düz", "yanliş"), // LibreOffice az
    ("сапраўдна", "несапраўдна"), // LibreOffice be
    ("вярно", "невярно"), // LibreOffice bg
    ("tiɲɛ", "nkalon"), // LibreOffice bm
    ("সত্য", "মিথ্যা"),  // LibreOffice bn
    ("ཨིན་", "མེན་"),   // LibreOffice bo dz
    ("gwir", "fals"), // LibreOffice br
    ("tacno", "netacno"), // LibreOffice bs
    ("veritat", "fals"), // LibreOffice ca
    ("pravda", "nepravda"), // LibreOffice cs sk; Excel cs
    ("вѣ́рнѡ", "ло́жнѡ"), // LibreOffice cu
    ("тĕрĕс", "суя"), // LibreOffice cv
    ("sand", "falsk"), // LibreOffice da; Excel da
    ("wahr", "falsch"), // LibreOffice de; Excel de
    ("wěrno", "njewěrno"), // LibreOffice dsb
    ("ngaŋwa", "mpya"), // LibreOffice ebo
    ("ɛ", "ao"),      // LibreOffice ee
    ("σωστό", "λάθος"), // LibreOffice el
    ("vera", "falsa"), // LibreOffice eo
    ("tõene", "väär"), // LibreOffice et
    ("egiazkoa", "faltsua"), // LibreOffice eu
    ("درست", "نادرست"), // LibreOffice fa
    ("tosi", "epätosi"), // LibreOffice fi; Excel fi
    ("sonn", "ósonn"), // LibreOffice fo
    ("vêr", "fals"),  // LibreOffice fur
    ("wier", "net wier"), // LibreOffice fy
    ("fíor", "falsa"), // LibreOffice ga
    ("fìor", "breug"), // LibreOffice gd
    ("verdadeiro", "falso"), // LibreOffice gl pt; Excel pt pt-BR
    ("woar", "onwoar"), // LibreOffice gos
    ("exacte", "faus"), // LibreOffice gsc
    ("ખરું", "ખોટું"),    // LibreOffice gu
    ("te'ete", "gua'u"), // LibreOffice gug
    ("gaskiya", "karya"), // LibreOffice ha
    ("ʻoiaʻiʻo", "hewa"), // LibreOffice haw
    ("सही", "गलत"),   // LibreOffice hi mai mr
    ("tuod", "palso"), // LibreOffice hil
    ("točno", "netočno"), // LibreOffice hr
    ("prawje", "wopak"), // LibreOffice hsb
    ("vre", "fo"),    // LibreOffice ht
    ("igaz", "hamis"), // LibreOffice hu; Excel hu
    ("ճշմարիտ", "կեղծ"), // LibreOffice hy
    ("ver", "false"), // LibreOffice ia
    ("benar", "salah"), // LibreOffice id
    ("pudno", "ubbaw"), // LibreOffice ilo
    ("rétt", "rangt"), // LibreOffice is
    ("vero", "falso"), // LibreOffice it vec; Excel it
    ("jetnu", "jitfa"), // LibreOffice jbo
    ("ჭეშმარიტი", "მცდარი"), // LibreOffice ka
    ("ih", "ala"),    // LibreOffice kab
    ("ақиқат", "жалған"), // LibreOffice kk
    ("eqqortoq", "eqqunngitsoq"), // LibreOffice kl
    ("ត្រូវ", "ខុស"),    // LibreOffice km
    ("rast", "şaş"),  // LibreOffice kmr
    ("ಸಹೀ", "ಗಲತ್"),    // LibreOffice kn
    ("참", "거짓"),   // LibreOffice ko
    ("чындык", "жалган"), // LibreOffice ky
    ("verum", "falsum"), // LibreOffice la
    ("wouer", "falsch"), // LibreOffice lb
    ("kituufu", "ssi kituufu"), // LibreOffice lg
    ("uthui", "teigha"), // LibreOffice lgr
    ("ठीक", "बेठीक"),  // LibreOffice lif ne
    ("veo", "fäso"),  // LibreOffice lij
    ("veira", "fauz"), // LibreOffice lld
    ("mpenzá", "mpenzá tɛ́"), // LibreOffice ln
    ("ແມ່ນແລ້ວ", "ບໍ່ແມ່ນ"), // LibreOffice lo
    ("teisingai", "neteisingai"), // LibreOffice lt
    ("patīss", "oploms"), // LibreOffice ltg
    ("patiess", "aplams"), // LibreOffice lv
    ("bana", "salah"), // LibreOffice min
    ("точно", "неточно"), // LibreOffice mk
    ("അതെ", "അല്ല"),   // LibreOffice ml
    ("үнэн", "худал"), // LibreOffice mn
    ("ᠦᠨᠡᠨ", "ᠬᠤᠳᠠᠯ"), // LibreOffice mn
    ("sɩda", "zĩri"), // LibreOffice mos
    ("veru", "falz"), // LibreOffice mt
    ("မှန်", "မှား"),    // LibreOffice my
    ("виде", "авиде"), // LibreOffice myv
    ("sann", "usann"), // LibreOffice nb nn no; Excel nb
    ("waor", "falsk"), // LibreOffice nds
    ("waar", "onwaar"), // LibreOffice nl; Excel nl
    ("sant", "usant"), // LibreOffice no
    ("qiniso", "mamala"), // LibreOffice nr
    ("choona", "chabodza"), // LibreOffice ny
    ("vertat", "faus"), // LibreOffice oc
    ("verai", "fals"), // LibreOffice oc
    ("dhugaa", "soba"), // LibreOffice om
    ("ସତ", "ମିଛ"),     // LibreOffice or
    ("ਸਹੀ", "ਗਲਤ"),   // LibreOffice pa
    ("berdat", "no berdat"), // LibreOffice pap
    ("waahr", "falsch"), // LibreOffice pdc
    ("tjukaṟuru", "ngunti"), // LibreOffice pjt
    ("prawda", "fałsz"), // LibreOffice pl; Excel pl
    ("marina", "diso"), // LibreOffice plt
    ("ȓ", "üi"),      // LibreOffice pui
    ("adevărat", "fals"), // LibreOffice ro
    ("истина", "ложь"), // LibreOffice ru; Excel ru
    ("правда", "неправда"), // LibreOffice rue
    ("nibyo", "sibyo"), // LibreOffice rw
    ("ᱥᱟᱹᱨᱤ", "ᱵᱷᱩᱞ"), // LibreOffice sat
    ("beru", "farsu"), // LibreOffice sc
    ("taâ-tënë", "wätäkä"), // LibreOffice sg
    ("halale", "xara"), // LibreOffice sid
    ("run", "been"),  // LibreOffice so
    ("e vërtetë", "e rremë"), // LibreOffice sq
    ("тачно", "нетачно"), // LibreOffice sr
    ("tačno", "netačno"), // LibreOffice sr
    ("leres", "lepat"), // LibreOffice sun
    ("sant", "falskt"), // LibreOffice sv; Excel sv
    ("kweli", "sikweli"), // LibreOffice sw
    ("prowda", "fałsz"), // LibreOffice szl
    ("ஸரி", "தப்ப"),   // LibreOffice ta
    ("నిజము", "అపాదము"), // LibreOffice te
    ("ҳаққонӣ", "қалбакӣ"), // LibreOffice tg
    ("จริง", "เท็จ"),   // LibreOffice th
    ("ሓቂ", "ሓሶት"),    // LibreOffice ti
    ("dogry", "ýalňyş"), // LibreOffice tk
    ("tru", "giaman"), // LibreOffice tpi
    ("doğru", "yanliş"), // LibreOffice tr; Excel tr
    ("ntiyiso", "vunwa"), // LibreOffice ts
    ("чын", "ялган"), // LibreOffice tt
    ("راست", "يالغان"), // LibreOffice ug
    ("істина", "брехня"), // LibreOffice uk
    ("راست", "غلط"),  // LibreOffice ur
    ("haqiqiy", "soxta"), // LibreOffice uz
    ("ngoho", "a si ngoho"), // LibreOffice ve
    ("đúng", "sai"),  // LibreOffice vi
    ("tõtõ", "võlsś"), // LibreOffice vro
    ("vraiy", "fås"), // LibreOffice wa
    ("yinyaniso", "asiyonyaniso"), // LibreOffice xh
    ("אמת", "פֿאַלש"),  // LibreOffice yi
    ("真", "假"),     // LibreOffice zh
];
