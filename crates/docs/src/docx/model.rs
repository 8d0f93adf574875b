//! The document model: the plain parts a văn bản hành chính is made of — the header block's
//! bodies, number and place-date, the title, body blocks (headings, paragraphs, dash items,
//! tables), the recipients, the signer and the appendices — with their constructors. How they
//! are laid out on the page is the writer's business (`ooxml`).

/// Văn bản hành chính — an official document: header block, title, body, recipients, signer.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OfficialDocument {
    /// Tên cơ quan chủ quản — the parent body, e.g. "UBND TỈNH HÀ TĨNH"; printed upper case.
    pub issuer_parent: Option<String>,
    /// Tên cơ quan ban hành — the issuing body, e.g. "ỦY BAN NHÂN DÂN HUYỆN ĐỨC THỌ"; upper case,
    /// bold; a '\n' splits it where the official wants.
    pub issuer: String,
    /// Số, ký hiệu — the number and symbol without "Số:", e.g. "125/BC-UBND" or "   /BC-UBND".
    pub number: String,
    /// Địa danh và thời gian — e.g. "Đức Thọ, ngày 20 tháng 6 năm 2024"; printed italic.
    pub place_date: String,
    /// Tên loại văn bản — e.g. "BÁO CÁO". Empty for a letter (công văn): the title then goes
    /// under the number as "V/v …".
    pub kind_title: String,
    /// Trích yếu nội dung — e.g. "Kết quả thực hiện công tác cải cách hành chính quý II năm 2024".
    pub title: String,
    /// Nội dung — the body.
    pub body: Vec<Block>,
    /// Nơi nhận — one entry per line; "- " and the closing ";" or "." are added when missing.
    /// The last is usually "Lưu: VT, NV".
    pub recipients: Vec<String>,
    /// Người ký — the signer's block.
    pub signer: Signer,
    /// Phụ lục — appendices after the signature, each from a new page.
    pub appendices: Vec<Appendix>,
}

/// Người ký — authority, title and name of the signer.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Signer {
    /// Quyền hạn — e.g. "TM. ỦY BAN NHÂN DÂN"; none when the head signs in their own name.
    pub authority: Option<String>,
    /// Chức vụ — e.g. "CHỦ TỊCH" or "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH".
    pub title: String,
    /// Họ tên — printed bold under the space for the signature and seal.
    pub name: String,
}

/// Phụ lục — an appendix, on its own pages, in landscape when its tables are wide.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Appendix {
    /// e.g. "Phụ lục I".
    pub label: String,
    /// e.g. "KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH".
    pub title: String,
    /// e.g. "(Kèm theo Báo cáo số    /BC-UBND ngày    /6/2024 của UBND huyện)"; italic.
    pub note: Option<String>,
    /// Landscape pages (trang nằm ngang) for wide tables.
    pub landscape: bool,
    /// The appendix's content.
    pub body: Vec<Block>,
}

/// A block of the body: heading, paragraph, table or page break.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading with its number in the text: level 1 "I. …" (bold), 2 "1. …" (bold),
    /// 3 "1.1. …" (bold italic), 4 "a) …" (italic).
    Heading { level: u8, text: String },
    /// A body paragraph: justified, first line indented.
    Paragraph(Vec<Run>),
    /// A dash item "- …", laid out like a body paragraph; the dash is added when missing.
    Bullet(Vec<Run>),
    /// A centred line, e.g. a table caption "Bảng 1. …".
    Centered(Vec<Run>),
    /// A table.
    Table(Table),
    /// A page break.
    PageBreak,
}

impl Block {
    /// A heading of the given level (1 to 4).
    pub fn heading(level: u8, text: impl Into<String>) -> Self {
        Block::Heading {
            level,
            text: text.into(),
        }
    }

    /// A body paragraph of plain text.
    pub fn para(text: impl Into<String>) -> Self {
        Block::Paragraph(vec![Run::plain(text)])
    }

    /// A dash item of plain text.
    pub fn bullet(text: impl Into<String>) -> Self {
        Block::Bullet(vec![Run::plain(text)])
    }
}

/// A run of text with its emphasis; '\n' breaks the line, '\t' is a tab.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Run {
    /// The text.
    pub text: String,
    /// Bold.
    pub bold: bool,
    /// Italic.
    pub italic: bool,
    /// Underlined.
    pub underline: bool,
}

impl Run {
    /// Regular text.
    pub fn plain(text: impl Into<String>) -> Self {
        Run {
            text: text.into(),
            ..Run::default()
        }
    }

    /// Bold text.
    pub fn bold(text: impl Into<String>) -> Self {
        Run {
            bold: true,
            ..Run::plain(text)
        }
    }

    /// Italic text.
    pub fn italic(text: impl Into<String>) -> Self {
        Run {
            italic: true,
            ..Run::plain(text)
        }
    }
}

impl From<&str> for Run {
    fn from(s: &str) -> Self {
        Run::plain(s)
    }
}

impl From<String> for Run {
    fn from(s: String) -> Self {
        Run::plain(s)
    }
}

/// Horizontal alignment of a table cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    /// Left.
    #[default]
    Left,
    /// Centred.
    Center,
    /// Right, for figures.
    Right,
    /// Justified, for long text.
    Justify,
}

/// A table: column widths, header rows repeated on every page, body rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Relative column widths; the table fills the text width in proportion.
    pub widths: Vec<u32>,
    /// Header rows (bold, centred, shaded, repeated at the top of each page).
    pub header: Vec<Vec<Cell>>,
    /// Body rows. A cell spanning rows above takes no place here: the writer fills it in.
    pub rows: Vec<Vec<Cell>>,
    /// Cell text size in points (12 or 13 by custom).
    pub font_pt: u8,
}

impl Table {
    /// An empty table with the given relative column widths and 12 pt text.
    pub fn new(widths: Vec<u32>) -> Self {
        Table {
            widths,
            header: Vec::new(),
            rows: Vec::new(),
            font_pt: 12,
        }
    }
}

/// A table cell: its runs, alignment and spans.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The text of the cell.
    pub runs: Vec<Run>,
    /// Horizontal alignment.
    pub align: Align,
    /// Number of grid columns the cell covers (1 or more).
    pub col_span: u16,
    /// Number of rows the cell covers (1 or more); the rows below leave its place out.
    pub row_span: u16,
}

impl Cell {
    /// A left-aligned cell of plain text.
    pub fn text(text: impl Into<String>) -> Self {
        Cell {
            runs: vec![Run::plain(text)],
            align: Align::Left,
            col_span: 1,
            row_span: 1,
        }
    }

    /// A centred cell of plain text (TT, dates, statuses).
    pub fn center(text: impl Into<String>) -> Self {
        Cell {
            align: Align::Center,
            ..Cell::text(text)
        }
    }

    /// A right-aligned cell (figures).
    pub fn right(text: impl Into<String>) -> Self {
        Cell {
            align: Align::Right,
            ..Cell::text(text)
        }
    }

    /// A bold centred cell, for header rows and section rows.
    pub fn bold(text: impl Into<String>) -> Self {
        Cell {
            runs: vec![Run::bold(text)],
            align: Align::Center,
            ..Cell::text("")
        }
    }

    /// This cell spanning `n` columns.
    pub fn span(mut self, n: u16) -> Self {
        self.col_span = n.max(1);
        self
    }

    /// This cell spanning `n` rows.
    pub fn rows(mut self, n: u16) -> Self {
        self.row_span = n.max(1);
        self
    }

    /// This cell with another alignment.
    pub fn align(mut self, align: Align) -> Self {
        self.align = align;
        self
    }
}
