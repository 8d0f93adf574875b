//! Văn bản hành chính as .docx: a small model of an official document and a writer that lays it
//! out as Decree 30/2020/NĐ-CP prescribes (Phụ lục I: A4, margins, Times New Roman, the header
//! block with the national motto, page numbers at the top centre from page 2, "Nơi nhận" and the
//! signer's block).
//!
//! The model (`model`) is plain data, built by [`crate::report`] and by callers; the writer
//! (`ooxml`) turns it into the package's XML parts by hand. Output is deterministic: the same
//! document gives the same bytes (no timestamps in the package).

mod model;
mod ooxml;

pub use model::{Align, Appendix, Block, Cell, OfficialDocument, Run, Signer, Table};
pub use ooxml::{
    esc as xml_escape, write_docx, A4_HEIGHT, A4_WIDTH, FONT, MARGIN_BOTTOM, MARGIN_LEFT,
    MARGIN_RIGHT, MARGIN_TOP, MOTTO, NATIONAL_NAME,
};
