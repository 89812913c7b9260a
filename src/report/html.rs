//! The HTML report (`--html PATH`): one self-contained file for people who open reports in a
//! browser. No network requests, no external fonts, scripts or styles (audits happen on
//! locked-down machines); charts are inline SVG drawn here; the user table is real table
//! markup, filled a page at a time by a few lines of inline script from the data embedded in
//! the file, so that 200,000 users open and search smoothly. Everything from the input is
//! escaped ([`crate::report::escape::html`], [`crate::report::escape::json_in_html_script`]); a
//! print stylesheet keeps the summary on the first page.

use std::fmt::Write as _;

use serde::Serialize;

use super::escape::{html as esc, json_in_html_script as script_json};
use crate::audit::tally::Count;
use crate::numbers::thousands;
use crate::report::summary::JsonSummary;

/// One user row of the table.
#[derive(Debug, Clone, Serialize)]
pub struct HtmlRow {
    pub upn: String,
    pub bucket: &'static str,
    pub status: String,
    pub methods: String,
    pub name: String,
    pub strength: String,
}

/// An input as the report describes it.
#[derive(Debug, Clone)]
pub struct HtmlInput {
    pub description: String,
    pub sha256: Option<String>,
}

/// Horizontal bars with their labels and numbers as text (colour is not the only signal).
pub fn bars(title: &str, items: &[(String, u64)], class: &str) -> String {
    if items.is_empty() {
        return String::new();
    }
    let max = items.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1);
    let row_h = 26;
    let height = items.len() * row_h + 8;
    let mut s = format!(
        "<figure><figcaption>{}</figcaption><svg role=\"img\" aria-label=\"{}\" viewBox=\"0 0 640 {height}\" \
         width=\"100%\" preserveAspectRatio=\"xMinYMin meet\">",
        esc(title),
        esc(title)
    );
    for (i, (label, n)) in items.iter().enumerate() {
        let y = i * row_h + 4;
        let w = (*n as f64 / max as f64 * 330.0).round().max(1.0);
        let _ = write!(
            s,
            "<text x=\"0\" y=\"{}\" class=\"label\">{}</text><rect x=\"220\" y=\"{y}\" width=\"{w}\" \
             height=\"18\" class=\"{class}\"/><text x=\"{}\" y=\"{}\" class=\"num\">{}</text>",
            y + 14,
            esc(&shorten(label, 30)),
            226.0 + w,
            y + 14,
            thousands(*n)
        );
    }
    s.push_str("</svg></figure>");
    s
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        text.chars().take(max - 1).collect::<String>() + "…"
    }
}

/// The coverage bar: registered and unregistered of those who can sign in.
fn coverage_bar(registered: u64, unregistered: u64, coverage: Option<f64>) -> String {
    let total = (registered + unregistered).max(1) as f64;
    let w = registered as f64 / total * 600.0;
    format!(
        "<figure><figcaption>Coverage of users who can sign in</figcaption>\
         <svg role=\"img\" aria-label=\"Coverage {c}\" viewBox=\"0 0 640 60\" width=\"100%\">\
         <rect x=\"0\" y=\"4\" width=\"{w:.1}\" height=\"28\" class=\"reg\"/>\
         <rect x=\"{w:.1}\" y=\"4\" width=\"{:.1}\" height=\"28\" class=\"unreg\"/>\
         <text x=\"0\" y=\"52\" class=\"label\">registered {} · unregistered {} · coverage {c}</text>\
         </svg></figure>",
        600.0 - w,
        thousands(registered),
        thousands(unregistered),
        c = coverage.map_or("n/a".to_owned(), |p| format!("{p}%")),
    )
}

/// Writes the whole report.
pub fn render(
    doc: &JsonSummary<'_>,
    inputs: &[HtmlInput],
    rows: &[HtmlRow],
    command: &str,
    controls: Option<&[crate::audit::controls::ControlOutcome]>,
) -> String {
    let mut h = String::with_capacity(4096 + rows.len() * 120);
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\
         <title>MFA audit: {} coverage</title><style>{CSS}</style></head><body><main>",
        doc.coverage_percent
            .map_or("n/a".to_owned(), |p| format!("{p}%"))
    );
    let _ = write!(
        h,
        "<h1>MFA audit</h1><p class=\"lead\">Coverage <strong id=\"coverage\">{}</strong> of the \
         users who can sign in have an MFA method registered.</p>",
        doc.coverage_percent
            .map_or("n/a".to_owned(), |p| format!("{p}%"))
    );
    h.push_str(
        "<section aria-labelledby=\"counts\"><h2 id=\"counts\">Users</h2><dl class=\"counts\">",
    );
    let buckets = Count::SHOWN.map(|c| (c.label(), doc.tally.count(c), c.key()));
    for (label, n, id) in buckets
        .into_iter()
        .chain([("Rows read", doc.tally.users, "users")])
    {
        let _ = write!(
            h,
            "<div><dt>{label}</dt><dd id=\"count-{id}\">{}</dd></div>",
            thousands(n)
        );
    }
    h.push_str("</dl>");
    if !doc.blocked_excluded {
        h.push_str("<p class=\"warn\"><strong>Warning:</strong> an input has no blocked-sign-in column: blocked accounts could not be excluded.</p>");
    }
    h.push_str(&coverage_bar(
        doc.tally.registered,
        doc.tally.unregistered,
        doc.coverage_percent,
    ));
    h.push_str("</section>");

    if let (Some(counts), Some(policies)) = (doc.enforcement, doc.policies) {
        h.push_str(&crate::report::enforcement::html(counts, policies));
        if let (Some(a), Some(s)) = (doc.admins, doc.step_up_only) {
            h.push_str(&crate::report::enforcement::html_findings(a, s));
        }
    }

    if !doc.gates.is_empty() {
        h.push_str("<section aria-labelledby=\"gates\"><h2 id=\"gates\">Gates</h2><table><thead><tr><th scope=\"col\">Gate</th><th scope=\"col\">Result</th><th scope=\"col\">Detail</th></tr></thead><tbody>");
        for g in doc.gates {
            let _ = write!(
                h,
                "<tr class=\"{}\"><td>{}</td><td>{}</td><td>{}</td></tr>",
                if g.passed { "pass" } else { "fail" },
                esc(&g.name),
                if g.passed { "✔ pass" } else { "✘ FAIL" },
                esc(&g.summary)
            );
        }
        h.push_str("</tbody></table></section>");
    }

    if let Some(c) = controls {
        h.push_str(&crate::report::controls::html(c));
    }

    h.push_str("<section aria-labelledby=\"charts\" class=\"charts\"><h2 id=\"charts\">Status and methods</h2>");
    let pairs = |m: &std::collections::BTreeMap<String, u64>| {
        let mut v: Vec<(String, u64)> = m.iter().map(|(k, n)| (k.clone(), *n)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    };
    h.push_str(&bars(
        "MFA Status (users in the report)",
        &pairs(&doc.status.to_map()),
        "bar",
    ));
    let mut methods = pairs(&doc.methods.to_map());
    methods.truncate(15);
    h.push_str(&bars("MFA methods (users in the report)", &methods, "bar"));
    let strength: Vec<(String, u64)> = [
        "phishing-resistant",
        "app",
        "phone",
        "not-mfa",
        "unrecognised",
        "names not in input",
    ]
    .iter()
    .filter_map(|k| {
        doc.population
            .strongest_method
            .get(k)
            .map(|n| (k.to_string(), *n))
    })
    .collect();
    h.push_str(&bars(
        "Strongest method (users who can sign in)",
        &strength,
        "bar",
    ));
    if let Some(p) = doc.phone_only {
        let _ = write!(
            h,
            "<p id=\"phone-only\">{} {} who can sign in rely on SMS or voice alone (phone only).",
            esc(&p.date_line()),
            esc(&crate::numbers::users(p.users)),
        );
        if p.cannot_tell > 0 {
            let _ = write!(
                h,
                " For {} the methods cannot say.",
                esc(&crate::numbers::users(p.cannot_tell))
            );
        }
        if let Some(c) = &p.policy {
            let _ =
                write!(
                h,
                " Authentication methods policy: SMS {}, voice {}{}; of the phone-only users {} \
                 still allowed SMS or voice, {} allowed neither, {} cannot tell.",
                if c.sms_enabled { "enabled" } else { "disabled" },
                if c.voice_enabled { "enabled" } else { "disabled" },
                if c.migration_complete {
                    ""
                } else {
                    " (migration not complete: legacy policies may still allow them)"
                },
                thousands(c.still_allowed),
                thousands(c.not_allowed),
                thousands(c.cannot_tell)
            );
        }
        h.push_str("</p>");
    }
    if let Some(c) = doc
        .population
        .flag_contradicts_methods
        .as_ref()
        .filter(|c| c.total() > 0)
    {
        let _ = write!(
            h,
            "<p class=\"warn\" id=\"contradicted\">{} users have a registration flag that \
             contradicts their method list; the flag decided: {} flagged not registered list \
             an MFA method (not allowed by the authentication methods policy?), {} flagged \
             registered list none.</p>",
            thousands(c.total()),
            thousands(c.flag_no_with_mfa_methods),
            thousands(c.flag_yes_without_mfa_methods)
        );
    }
    if doc.tally.lookalike_upns > 0 {
        let _ = write!(
            h,
            "<p class=\"warn\" id=\"lookalikes\">{} UPNs read as another user's once \
             letters of other scripts are read as Latin: probable impersonation (see the \
             warnings).</p>",
            thousands(doc.tally.lookalike_upns)
        );
    }
    h.push_str("</section>");

    // The user table: the first page is in the markup, the script pages through the rest.
    let _ = write!(
        h,
        "<section aria-labelledby=\"users-h\"><h2 id=\"users-h\">All users ({})</h2>\
         <div class=\"controls\"><label>Search <input id=\"q\" type=\"search\" placeholder=\"UPN, name, method\"></label> \
         <label>Bucket <select id=\"bucket\"><option value=\"\">all</option><option>registered</option>\
         <option>unregistered</option><option>blocked</option><option>unknown</option><option>excepted</option></select></label> \
         <span id=\"shown\" aria-live=\"polite\"></span> <button id=\"prev\" type=\"button\">Previous</button> \
         <button id=\"next\" type=\"button\">Next</button></div>\
         <table id=\"users\"><thead><tr>",
        thousands(rows.len() as u64)
    );
    for (i, col) in [
        "UserPrincipalName",
        "Bucket",
        "MFA Status",
        "MFA Methods",
        "Display name",
        "Strongest method",
    ]
    .iter()
    .enumerate()
    {
        let _ = write!(
            h,
            "<th scope=\"col\" aria-sort=\"none\"><button type=\"button\" data-col=\"{i}\">{col}</button></th>"
        );
    }
    h.push_str("</tr></thead><tbody>");
    for r in rows.iter().take(PAGE) {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&r.upn),
            r.bucket,
            esc(&r.status),
            esc(&r.methods),
            esc(&r.name),
            esc(&r.strength)
        );
    }
    h.push_str("</tbody></table></section>");

    if !doc.warnings.is_empty() {
        let _ = write!(
            h,
            "<section aria-labelledby=\"warn-h\"><h2 id=\"warn-h\">Warnings ({})</h2><ul>",
            thousands(doc.warnings_total)
        );
        for w in doc.warnings.iter().take(200) {
            let _ = write!(h, "<li>{}</li>", esc(w));
        }
        if doc.warnings_total > 200 {
            h.push_str("<li>… the JSON summary keeps up to 1,000.</li>");
        }
        h.push_str("</ul></section>");
    }
    h.push_str("<section aria-labelledby=\"in-h\"><h2 id=\"in-h\">Inputs</h2><ul>");
    for i in inputs {
        let _ = write!(
            h,
            "<li>{}<br><small>SHA-256 {}</small></li>",
            esc(&i.description),
            i.sha256
                .as_deref()
                .map_or("not computed (standard input)".to_owned(), esc)
        );
    }
    let _ = write!(
        h,
        "</ul><p><small>mfa-audit {} · <code>{}</code></small></p></section>",
        esc(doc.version),
        esc(command)
    );
    let _ = writeln!(
        h,
        "<script id=\"data\" type=\"application/json\">{}</script><script>{SCRIPT}</script></main></body></html>",
        // Rows as arrays, not objects: the keys would double the size of a large tenant's file.
        script_json(
            &rows
                .iter()
                .map(|r| [r.upn.as_str(), r.bucket, &r.status, &r.methods, &r.name, &r.strength])
                .collect::<Vec<_>>()
        )
    );
    h
}

/// A table of text cells, escaped.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut h = String::from("<table><thead><tr>");
    for c in headers {
        let _ = write!(h, "<th scope=\"col\">{}</th>", esc(c));
    }
    h.push_str("</tr></thead><tbody>");
    for r in rows {
        h.push_str("<tr>");
        for c in r {
            let _ = write!(h, "<td>{}</td>", esc(c));
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table>");
    h
}

/// The command line a page shows: the program as `mfa-audit`, not the path it was started
/// from, which on Windows is the full path of `mfa-audit.exe` and often holds the user's name
/// (`C:\Users\alice\...`); the arguments as given.
pub fn command_line(args: impl IntoIterator<Item = String>) -> String {
    let mut args = args.into_iter();
    args.next();
    std::iter::once("mfa-audit".to_owned())
        .chain(args)
        .collect::<Vec<_>>()
        .join(" ")
}

/// This run's command line, as [`command_line`] shows it.
pub fn this_command_line() -> String {
    command_line(std::env::args())
}

/// A self-contained page of sections (already HTML), for `diff` and `signins`.
pub fn simple_page(
    title: &str,
    lead: &str,
    sections: &[(String, String)],
    command: &str,
) -> String {
    let mut h = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
         <title>{t}</title><style>{CSS}</style></head><body><main><h1>{t}</h1><p class=\"lead\">{}</p>",
        esc(lead),
        t = esc(title)
    );
    for (heading, body) in sections {
        let _ = write!(h, "<section><h2>{}</h2>{body}</section>", esc(heading));
    }
    let _ = writeln!(
        h,
        "<p><small>mfa-audit {} · <code>{}</code></small></p></main></body></html>",
        env!("CARGO_PKG_VERSION"),
        esc(command)
    );
    h
}

/// Rows per page of the user table.
const PAGE: usize = 100;

const CSS: &str = "
:root{color-scheme:light;font:16px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b1b1b;background:#fff}
main{max-width:70rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.8rem;margin:0 0 .3rem}h2{font-size:1.3rem;margin:2rem 0 .6rem;border-bottom:1px solid #ccc}
.lead{font-size:1.2rem}.warn{background:#fff4ce;border-left:4px solid #8a6d00;padding:.5rem .8rem}
.counts{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:.6rem;margin:0}
.counts div{border:1px solid #ccc;border-radius:6px;padding:.5rem .8rem}.counts dt{font-size:.9rem}.counts dd{margin:0;font-size:1.6rem;font-weight:600}
figure{margin:1rem 0}figure svg{max-width:44rem;display:block}figcaption{font-weight:600;margin-bottom:.3rem}
svg .label,svg .num{font-size:13px;fill:#1b1b1b}.reg{fill:#2e7d32}.unreg{fill:#c62828}.bar{fill:#1565c0}
table{border-collapse:collapse;width:100%;font-size:.92rem}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #ddd;vertical-align:top}
th button{font:inherit;font-weight:600;background:none;border:0;padding:0;cursor:pointer}
tr.fail td{background:#fde7e7}tr.pass td{background:#e8f5e9}
.controls{display:flex;flex-wrap:wrap;gap:.6rem;align-items:center;margin-bottom:.5rem}
input,select,button{font:inherit}
@media print{.controls{display:none}main{max-width:none;padding:0}section:first-of-type{page-break-after:always}
 tr{page-break-inside:avoid}}
";

/// Pages, searches, filters and sorts the table; reads `#q=...&bucket=...` from the address.
const SCRIPT: &str = r#"(function(){
var rows=JSON.parse(document.getElementById('data').textContent);
var keys=[0,1,2,3,4,5];
var state={q:'',bucket:'',col:-1,asc:true,page:0};
var params=new URLSearchParams(location.hash.slice(1));
state.q=params.get('q')||'';state.bucket=params.get('bucket')||'';
var q=document.getElementById('q'),b=document.getElementById('bucket'),body=document.querySelector('#users tbody');
q.value=state.q;b.value=state.bucket;
function view(){
 var needle=state.q.toLowerCase(),out=[];
 for(var i=0;i<rows.length;i++){var r=rows[i];
  if(state.bucket&&r[1]!==state.bucket)continue;
  if(needle&&(r[0]+' '+r[4]+' '+r[3]+' '+r[2]).toLowerCase().indexOf(needle)<0)continue;
  out.push(r);}
 if(state.col>=0){var k=keys[state.col],d=state.asc?1:-1;out.sort(function(x,y){return x[k]<y[k]?-d:x[k]>y[k]?d:0;});}
 return out;}
function render(){
 var v=view(),pages=Math.max(1,Math.ceil(v.length/100));
 if(state.page>=pages)state.page=pages-1;
 var start=state.page*100,frag=document.createDocumentFragment();
 v.slice(start,start+100).forEach(function(r){var tr=document.createElement('tr');
  keys.forEach(function(k){var td=document.createElement('td');td.textContent=r[k];tr.appendChild(td);});
  frag.appendChild(tr);});
 body.replaceChildren(frag);
 document.getElementById('shown').textContent=v.length+' of '+rows.length+' users, page '+(state.page+1)+' of '+pages;
 document.getElementById('prev').disabled=state.page===0;document.getElementById('next').disabled=state.page>=pages-1;}
q.addEventListener('input',function(){state.q=q.value;state.page=0;render();});
b.addEventListener('change',function(){state.bucket=b.value;state.page=0;render();});
document.getElementById('prev').addEventListener('click',function(){state.page--;render();});
document.getElementById('next').addEventListener('click',function(){state.page++;render();});
document.querySelectorAll('th button').forEach(function(btn){btn.addEventListener('click',function(){
 var c=+btn.dataset.col;state.asc=state.col===c?!state.asc:true;state.col=c;
 document.querySelectorAll('th').forEach(function(th){th.setAttribute('aria-sort','none');});
 btn.parentNode.setAttribute('aria-sort',state.asc?'ascending':'descending');render();});});
render();})();"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_shows_the_program_name_only() {
        let table: [(&[&str], &str); 4] = [
            (
                &[
                    r"C:\Users\alice\bin\mfa-audit.exe",
                    "audit",
                    "u.csv",
                    "--html",
                    "h.html",
                ],
                "mfa-audit audit u.csv --html h.html",
            ),
            (
                &["/home/bob/.cargo/bin/mfa-audit", "diff", "a", "b"],
                "mfa-audit diff a b",
            ),
            (&["mfa-audit"], "mfa-audit"),
            (&[], "mfa-audit"),
        ];
        for (args, want) in table {
            assert_eq!(command_line(args.iter().map(|a| a.to_string())), want);
        }
    }

    #[test]
    fn input_text_is_escaped_everywhere() {
        assert_eq!(
            esc("<script>alert('x')</script>&"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;"
        );
        let rows = vec![HtmlRow {
            upn: "a@x".into(),
            bucket: "registered",
            status: "Enabled".into(),
            methods: "OneWaySMS".into(),
            name: "</script><script>alert(1)</script>".into(),
            strength: "phone".into(),
        }];
        let json = script_json(&rows);
        assert!(!json.contains("</script>"), "{json}");
        assert!(json.contains("\\u003c/script\\u003e"));
    }
}
