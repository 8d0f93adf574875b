//! The Atom feed of the public pages (`/cong-khai/atom.xml`): one entry per published item (a
//! period's report, a year's ranking), with an id that stays the same however often the item
//! is published again, and its time of publication.

use cchc_app::public::{self, Publication};
use cchc_docs::docx::xml_escape as escape;
use chrono::{DateTime, SecondsFormat, Utc};

/// The stable id of an item: `tag:cchc,2024:cong-khai/bao-cao/2024-Q2` (RFC 4151), the year
/// being the subject's own, so republishing keeps it.
fn entry_id(p: &Publication) -> String {
    let year = p.subject.get(..4).unwrap_or("2024");
    format!(
        "tag:cchc,{year}:{}",
        public::path(p.kind, &p.subject).trim_start_matches('/')
    )
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The feed over `items` (newest first).
pub fn atom(items: &[Publication]) -> String {
    // A feed without entries still needs an `updated`: the epoch says "nothing yet" and keeps
    // the bytes (and so the ETag) the same until something is published.
    let updated = items
        .iter()
        .map(|p| p.published_at)
        .max()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"vi\">\n");
    out.push_str("  <title>Công khai kết quả cải cách hành chính</title>\n");
    out.push_str("  <id>tag:cchc,2024:cong-khai</id>\n");
    out.push_str(&format!("  <updated>{}</updated>\n", time(updated)));
    out.push_str(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"/cong-khai/atom.xml\"/>\n",
    );
    out.push_str("  <link rel=\"alternate\" type=\"text/html\" href=\"/cong-khai\"/>\n");
    out.push_str("  <author><name>Cơ quan thường trực CCHC</name></author>\n");
    for p in items {
        let title = public::title_vi(p.kind, &p.subject);
        out.push_str("  <entry>\n");
        out.push_str(&format!("    <id>{}</id>\n", escape(&entry_id(p))));
        out.push_str(&format!("    <title>{}</title>\n", escape(&title)));
        out.push_str(&format!(
            "    <updated>{}</updated>\n",
            time(p.published_at)
        ));
        out.push_str(&format!(
            "    <published>{}</published>\n",
            time(p.published_at)
        ));
        out.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            escape(&public::path(p.kind, &p.subject))
        ));
        out.push_str(&format!(
            "    <summary>{}</summary>\n",
            escape(&format!(
                "{title}, công khai ngày {}",
                p.published_at.format("%d/%m/%Y")
            ))
        ));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use cchc_app::public::PublicationKind;
    use chrono::TimeZone;

    #[test]
    fn an_entry_keeps_its_id_when_published_again() {
        let at = |d| Utc.with_ymd_and_hms(2024, 7, d, 1, 2, 3).unwrap();
        let p = |d| Publication {
            kind: PublicationKind::Report,
            subject: "2024-Q2".into(),
            published_by: "x".into(),
            published_at: at(d),
        };
        assert_eq!(entry_id(&p(1)), entry_id(&p(9)));
        assert_eq!(entry_id(&p(1)), "tag:cchc,2024:cong-khai/bao-cao/2024-Q2");
        let feed = atom(&[p(9)]);
        assert!(
            feed.contains("<id>tag:cchc,2024:cong-khai/bao-cao/2024-Q2</id>"),
            "{feed}"
        );
        assert!(
            feed.contains("<updated>2024-07-09T01:02:03Z</updated>"),
            "{feed}"
        );
    }
}
