//! Reading a produced .docx back: its parts, checked to be well-formed, and their text.

use std::io::{Cursor, Read};

use cchc_docs::docx::{Block, OfficialDocument, Signer};
use quick_xml::events::Event;
use quick_xml::Reader;

/// A .docx package read back from bytes.
pub struct Package {
    bytes: Vec<u8>,
}

impl Package {
    pub fn open(bytes: Vec<u8>) -> Self {
        Package { bytes }
    }

    pub fn names(&self) -> Vec<String> {
        let zip = zip::ZipArchive::new(Cursor::new(self.bytes.clone())).expect("a zip");
        zip.file_names()
            .map(|n| n.expect("a file name").into_owned())
            .collect()
    }

    /// The XML of a part, e.g. `word/document.xml`.
    pub fn part(&self, path: &str) -> String {
        let mut zip = zip::ZipArchive::new(Cursor::new(self.bytes.clone())).expect("a zip");
        let mut s = String::new();
        zip.by_name(path)
            .unwrap_or_else(|e| panic!("{path}: {e}"))
            .read_to_string(&mut s)
            .expect("UTF-8 XML");
        s
    }

    /// The text of every `w:t` of a part, one string per paragraph, entities resolved; panics
    /// if the part is not well-formed XML.
    pub fn paragraphs(&self, path: &str) -> Vec<String> {
        paragraphs(&self.part(path))
    }
}

/// Paragraph texts of a WordprocessingML part; panics on XML that is not well-formed.
pub fn paragraphs(xml: &str) -> Vec<String> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    let mut para: Option<String> = None;
    let mut in_text = false;
    loop {
        match reader.read_event() {
            Err(e) => panic!("not well-formed at {}: {e}", reader.buffer_position()),
            Ok(Event::Eof) => break,
            Ok(Event::Start(e)) => match e.name().as_ref() {
                "w:p" => para = Some(String::new()),
                "w:t" => in_text = true,
                _ => {}
            },
            Ok(Event::Empty(e)) => match e.name().as_ref() {
                "w:p" => out.push(String::new()),
                "w:br" => {
                    if let Some(p) = para.as_mut() {
                        p.push('\n')
                    }
                }
                _ => {}
            },
            Ok(Event::End(e)) => match e.name().as_ref() {
                "w:p" => out.push(para.take().unwrap_or_default()),
                "w:t" => in_text = false,
                _ => {}
            },
            Ok(Event::Text(t)) if in_text => {
                para.get_or_insert_with(String::new)
                    .push_str(&t.xml10_content());
            }
            Ok(Event::GeneralRef(r)) => {
                let c = match r.into_inner().as_ref() {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    other => panic!("unexpected entity &{other};"),
                };
                if in_text {
                    para.get_or_insert_with(String::new).push(c);
                }
            }
            Ok(_) => {}
        }
    }
    out
}

/// Checks that every part of the package is well-formed XML.
pub fn assert_well_formed(pkg: &Package) {
    for name in pkg.names() {
        let xml = pkg.part(&name);
        let mut reader = Reader::from_str(&xml);
        loop {
            match reader.read_event() {
                Err(e) => panic!("{name} is not well-formed: {e}"),
                Ok(Event::Eof) => break,
                Ok(_) => {}
            }
        }
    }
}

/// A report of the Office of Home Affairs with the given body.
pub fn report(body: Vec<Block>) -> OfficialDocument {
    OfficialDocument {
        issuer_parent: Some("UBND huyện Đức Thọ".into()),
        issuer: "Phòng Nội vụ".into(),
        number: "125/BC-NV".into(),
        place_date: "Đức Thọ, ngày 20 tháng 6 năm 2024".into(),
        kind_title: "Báo cáo".into(),
        title: "Kết quả cải cách hành chính quý II năm 2024".into(),
        body,
        recipients: vec![
            "Sở Nội vụ tỉnh Hà Tĩnh".into(),
            "UBND huyện".into(),
            "Lưu: VT, NV".into(),
        ],
        signer: Signer {
            authority: None,
            title: "Trưởng phòng".into(),
            name: "Trần Thị Bình".into(),
        },
        appendices: vec![],
    }
}
