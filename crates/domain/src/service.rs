//! Service delivery (giải quyết TTHC): procedures, dossiers, their running totals and the
//! measures of `spec/service-data.md` computed from those totals.
//!
//! The totals keep, per (unit, procedure, month received), only facts of the dossiers themselves
//! ([`Tally`]); a procedure's attributes (online level, fee) are applied when the totals are
//! read ([`MeasureSet::add`]). A catalogue change therefore needs no recompute, and the
//! incremental path and the full recompute share [`Tally::of`] and [`MeasureSet::add`].

use std::fmt;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::measure::Measure;
use crate::plan::Plan;
use crate::unit::UnitId;
use crate::UnitLevel;

macro_rules! code_newtype {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Parses a code: trimmed, not empty, at most 100 characters, no control characters.
            pub fn parse(s: &str) -> Result<Self, String> {
                let s = s.trim();
                if s.is_empty() {
                    return Err(format!("{} trống", $what));
                }
                if s.chars().count() > 100 {
                    return Err(format!("{} «{s}» dài quá 100 ký tự", $what));
                }
                if s.chars().any(char::is_control) {
                    return Err(format!("{} «{s}» chứa ký tự điều khiển", $what));
                }
                Ok($name(s.to_string()))
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(s: String) -> Result<Self, String> {
                $name::parse(&s)
            }
        }
        impl From<$name> for String {
            fn from(c: $name) -> String {
                c.0
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

code_newtype!(
    /// Mã TTHC — a procedure's code in the national catalogue, e.g. `1.001612`.
    ProcedureCode,
    "mã TTHC"
);
code_newtype!(
    /// Mã hồ sơ — a dossier's code in the one-stop system.
    DossierCode,
    "mã hồ sơ"
);

/// Declares a closed vocabulary with its code in files and its Vietnamese label.
macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident, $what:literal { $($(#[$vdoc:meta])* $variant:ident = $code:literal, $label:literal;)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $code)] $variant,)+
        }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The code files and the database use.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }
            pub fn label_vi(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }
            /// Parses the code (case-insensitive); the error lists the accepted codes.
            pub fn parse(s: &str) -> Result<Self, String> {
                // A code as written: no copy to lower-case.
                match s {
                    $($code => return Ok($name::$variant),)+
                    _ => {}
                }
                let t = s.trim().to_ascii_lowercase();
                match t.as_str() {
                    $($code => Ok($name::$variant),)+
                    _ => Err(format!(
                        "{} «{}» không hợp lệ; dùng một trong: {}",
                        $what, s.trim(), [$($code),+].join(", ")
                    )),
                }
            }
        }
    };
}

vocabulary!(
    /// Mức độ DVC trực tuyến — a procedure's online level.
    OnlineLevel, "mức độ DVC" {
        /// toàn trình: fully online.
        Full = "toan_trinh", "Toàn trình";
        /// một phần: partly online.
        Partial = "mot_phan", "Một phần";
        /// không: not online.
        None = "khong", "Không";
    }
);

vocabulary!(
    /// Hình thức nộp — how a dossier was filed.
    Channel, "hình thức nộp" {
        Online = "truc_tuyen", "Trực tuyến";
        InPerson = "truc_tiep", "Trực tiếp";
        Postal = "buu_chinh", "Bưu chính";
    }
);

vocabulary!(
    /// Trạng thái hồ sơ — where a dossier stands.
    DossierStatus, "trạng thái" {
        /// đang xử lý
        InProgress = "dang_xu_ly", "Đang xử lý";
        /// đã trả kết quả
        Returned = "da_tra", "Đã trả kết quả";
        /// từ chối
        Refused = "tu_choi", "Từ chối";
        /// rút hồ sơ: outside every population.
        Withdrawn = "rut", "Rút hồ sơ";
    }
);

vocabulary!(
    /// Đánh giá — the citizen's rating of the service.
    Rating, "đánh giá" {
        VerySatisfied = "rat_hai_long", "Rất hài lòng";
        Satisfied = "hai_long", "Hài lòng";
        Neutral = "binh_thuong", "Bình thường";
        Dissatisfied = "khong_hai_long", "Không hài lòng";
    }
);

/// Thủ tục hành chính — one procedure of the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Procedure {
    pub code: ProcedureCode,
    pub name: String,
    /// Lĩnh vực
    pub field: String,
    /// Cấp thực hiện: district level.
    pub district: bool,
    /// Cấp thực hiện: commune level.
    pub commune: bool,
    pub online_level: OnlineLevel,
    /// Có phí, lệ phí
    pub has_fee: bool,
    /// Thanh toán trực tuyến: online payment is offered.
    pub online_payment: bool,
    /// TTHC nội bộ: between agencies.
    pub internal: bool,
    /// Đã bãi bỏ: no longer in the catalogue (a whole catalogue was imported without it). Its
    /// dossiers still count; the catalogue measures leave it out.
    pub retired: bool,
}

impl Procedure {
    /// What the measures need of a procedure.
    pub fn traits(&self) -> ProcedureTraits {
        ProcedureTraits {
            online_level: self.online_level,
            has_fee: self.has_fee,
        }
    }
}

/// The attributes of a procedure that select which dossiers a measure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProcedureTraits {
    pub online_level: OnlineLevel,
    pub has_fee: bool,
}

/// Hồ sơ — one application, as the one-stop system exports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dossier {
    pub code: DossierCode,
    pub procedure: ProcedureCode,
    /// Đơn vị tiếp nhận
    pub unit: UnitId,
    pub channel: Channel,
    /// Ngày tiếp nhận (local time); its date decides the period.
    pub received: NaiveDateTime,
    /// Ngày hẹn trả
    pub due: NaiveDateTime,
    /// Ngày trả kết quả; empty while pending.
    pub returned: Option<NaiveDateTime>,
    pub status: DossierStatus,
    /// Số hóa thành phần hồ sơ
    pub inputs_digitized: bool,
    /// Số hóa kết quả
    pub results_digitized: bool,
    /// Tái sử dụng dữ liệu
    pub data_reused: bool,
    /// Đã thanh toán trực tuyến
    pub paid_online: bool,
    pub rating: Option<Rating>,
    /// Thư xin lỗi
    pub apology: bool,
}

impl Dossier {
    /// The day the dossier was received: the key of its period.
    pub fn day(&self) -> NaiveDate {
        self.received.date()
    }

    /// Whether the dossier was decided (returned or refused, with a return date).
    pub fn decided(&self) -> bool {
        matches!(
            self.status,
            DossierStatus::Returned | DossierStatus::Refused
        ) && self.returned.is_some()
    }

    /// Đúng hạn: decided with the return date on or before the due date (dates, not times).
    pub fn on_time(&self) -> bool {
        self.decided() && self.returned.is_some_and(|r| r.date() <= self.due.date())
    }

    /// Trễ hạn: decided after the due date.
    pub fn late(&self) -> bool {
        self.decided() && !self.on_time()
    }
}

/// Parses a date or date-time of the spec: `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]`,
/// `YYYY-MM-DDTHH:MM[:SS]`, `DD/MM/YYYY`, `DD/MM/YYYY HH:MM[:SS]`. A date alone is midnight.
pub fn parse_datetime(s: &str) -> Result<NaiveDateTime, String> {
    let t = s.trim();
    match parse_datetime_fixed(t.as_bytes()) {
        Some(v) => Ok(v),
        None => parse_datetime_general(t),
    }
}

/// [`parse_datetime`] through chrono's parsers, for every form the fixed-width reader leaves.
fn parse_datetime_general(t: &str) -> Result<NaiveDateTime, String> {
    let bad = || {
        format!(
            "ngày «{t}» không hợp lệ; dùng YYYY-MM-DD hoặc DD/MM/YYYY, có thể kèm giờ HH:MM[:SS]"
        )
    };
    let (date, time) = match t.find([' ', 'T']) {
        Some(i) => (&t[..i], Some(t[i + 1..].trim_start())),
        None => (t, None),
    };
    let date = if date.contains('/') {
        NaiveDate::parse_from_str(date, "%d/%m/%Y")
    } else {
        NaiveDate::parse_from_str(date, "%Y-%m-%d")
    }
    .map_err(|_| bad())?;
    // chrono accepts a one-digit year field etc.; insist on the four-digit year of the spec.
    if !(1900..=2200).contains(&chrono::Datelike::year(&date)) {
        return Err(bad());
    }
    let time = match time {
        None => NaiveTime::MIN,
        Some(tm) => NaiveTime::parse_from_str(tm, "%H:%M:%S")
            .or_else(|_| NaiveTime::parse_from_str(tm, "%H:%M"))
            .map_err(|_| bad())?,
    };
    Ok(date.and_time(time))
}

/// The fixed-width forms of [`parse_datetime`] (`YYYY-MM-DD`, `DD/MM/YYYY`, each alone or with
/// ` HH:MM` or ` HH:MM:SS`, `T` allowed before an ISO time), read digit by digit: an import
/// parses three dates per dossier. `None` sends anything else (and anything invalid) to the
/// general parser, so this decides nothing the general parser would decide otherwise.
fn parse_datetime_fixed(b: &[u8]) -> Option<NaiveDateTime> {
    fn num(b: &[u8]) -> Option<u32> {
        b.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    }
    if b.len() < 10 {
        return None;
    }
    let (y, m, d, iso) = match (b[2], b[4], b[5], b[7]) {
        (_, b'-', _, b'-') => (num(&b[0..4])?, num(&b[5..7])?, num(&b[8..10])?, true),
        (b'/', _, b'/', _) => (num(&b[6..10])?, num(&b[3..5])?, num(&b[0..2])?, false),
        _ => return None,
    };
    if !(1900..=2200).contains(&y) {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(y as i32, m, d)?;
    let time = match b.len() {
        10 => NaiveTime::MIN,
        16 | 19 => {
            let sep = b[10] == b' ' || (iso && b[10] == b'T');
            if !sep || b[13] != b':' || (b.len() == 19 && b[16] != b':') {
                return None;
            }
            let sec = if b.len() == 19 { num(&b[17..19])? } else { 0 };
            NaiveTime::from_hms_opt(num(&b[11..13])?, num(&b[14..16])?, sec)?
        }
        _ => return None,
    };
    Some(date.and_time(time))
}

/// Parses a boolean of the spec: `0/1`, `true/false`, `có/không`, `x`/empty (empty is false).
pub fn parse_bool(s: &str) -> Result<bool, String> {
    // The usual spellings first, without folding.
    match s {
        "1" | "true" | "x" => return Ok(true),
        "0" | "false" | "" => return Ok(false),
        _ => {}
    }
    let t = crate::text::fold(s);
    match t.as_str() {
        "1" | "true" | "co" | "x" => Ok(true),
        "0" | "false" | "khong" | "" => Ok(false),
        _ => Err(format!(
            "giá trị «{}» không hợp lệ; dùng 0/1, true/false, có/không hoặc x/để trống",
            s.trim()
        )),
    }
}

/// Số liệu cộng dồn — counts of dossiers at one grain; every field a fact of the dossier alone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Tally {
    /// Not withdrawn: the population P.
    pub received: i64,
    /// Rút: withdrawn, outside P.
    pub withdrawn: i64,
    /// Đã trả.
    pub returned: i64,
    /// Đã trả, kết quả số hóa.
    pub returned_digitized: i64,
    /// Thành phần hồ sơ số hóa.
    pub inputs_digitized: i64,
    /// Nộp trực tuyến.
    pub online: i64,
    /// Tái sử dụng dữ liệu.
    pub reused: i64,
    /// Đã thanh toán trực tuyến.
    pub paid_online: i64,
    /// Có đánh giá.
    pub rated: i64,
    /// Rất hài lòng hoặc hài lòng.
    pub satisfied: i64,
    /// Đã trả hoặc từ chối, có ngày trả.
    pub decided: i64,
    /// Đúng hạn.
    pub on_time: i64,
    /// Trễ hạn có thư xin lỗi.
    pub late_apologized: i64,
}

impl Tally {
    /// The names of the counters, in the order of [`Tally::to_array`]: also the column names of
    /// the totals table.
    pub const FIELDS: [&'static str; 13] = [
        "received",
        "withdrawn",
        "returned",
        "returned_digitized",
        "inputs_digitized",
        "online",
        "reused",
        "paid_online",
        "rated",
        "satisfied",
        "decided",
        "on_time",
        "late_apologized",
    ];

    /// One dossier's contribution.
    pub fn of(d: &Dossier) -> Tally {
        let n = |b: bool| i64::from(b);
        if d.status == DossierStatus::Withdrawn {
            return Tally {
                withdrawn: 1,
                ..Tally::default()
            };
        }
        let returned = d.status == DossierStatus::Returned;
        Tally {
            received: 1,
            withdrawn: 0,
            returned: n(returned),
            returned_digitized: n(returned && d.results_digitized),
            inputs_digitized: n(d.inputs_digitized),
            online: n(d.channel == Channel::Online),
            reused: n(d.data_reused),
            paid_online: n(d.paid_online),
            rated: n(d.rating.is_some()),
            satisfied: n(matches!(
                d.rating,
                Some(Rating::VerySatisfied | Rating::Satisfied)
            )),
            decided: n(d.decided()),
            on_time: n(d.on_time()),
            late_apologized: n(d.late() && d.apology),
        }
    }

    pub fn to_array(&self) -> [i64; 13] {
        [
            self.received,
            self.withdrawn,
            self.returned,
            self.returned_digitized,
            self.inputs_digitized,
            self.online,
            self.reused,
            self.paid_online,
            self.rated,
            self.satisfied,
            self.decided,
            self.on_time,
            self.late_apologized,
        ]
    }

    pub fn from_array(a: [i64; 13]) -> Tally {
        Tally {
            received: a[0],
            withdrawn: a[1],
            returned: a[2],
            returned_digitized: a[3],
            inputs_digitized: a[4],
            online: a[5],
            reused: a[6],
            paid_online: a[7],
            rated: a[8],
            satisfied: a[9],
            decided: a[10],
            on_time: a[11],
            late_apologized: a[12],
        }
    }

    pub fn add(&mut self, other: &Tally) {
        let (mut a, b) = (self.to_array(), other.to_array());
        a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        *self = Tally::from_array(a);
    }

    pub fn sub(&mut self, other: &Tally) {
        let (mut a, b) = (self.to_array(), other.to_array());
        a.iter_mut().zip(b).for_each(|(x, y)| *x -= y);
        *self = Tally::from_array(a);
    }

    pub fn is_zero(&self) -> bool {
        self.to_array().iter().all(|&x| x == 0)
    }
}

/// Chỉ số dịch vụ — a measure of the spec computed on dossiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceMeasure {
    ResultsDigitizedRate,
    InputsDigitizedRate,
    OnlineRate,
    FullOnlineRate,
    DataReuseRate,
    OnlinePaymentRate,
    SatisfactionRate,
    OnTimeRate,
    LateApologyRate,
}

/// Chỉ số danh mục — a measure of the spec computed on the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CatalogMeasure {
    OnlineServiceRate,
    OnlinePaymentOfferedRate,
}

/// Which part of a measure a dossier list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RatioPart {
    /// Tử số
    Numerator,
    /// Mẫu số
    Denominator,
}

impl ServiceMeasure {
    pub const ALL: [ServiceMeasure; 9] = [
        ServiceMeasure::ResultsDigitizedRate,
        ServiceMeasure::InputsDigitizedRate,
        ServiceMeasure::OnlineRate,
        ServiceMeasure::FullOnlineRate,
        ServiceMeasure::DataReuseRate,
        ServiceMeasure::OnlinePaymentRate,
        ServiceMeasure::SatisfactionRate,
        ServiceMeasure::OnTimeRate,
        ServiceMeasure::LateApologyRate,
    ];

    pub fn id(self) -> &'static str {
        match self {
            ServiceMeasure::ResultsDigitizedRate => "results_digitized_rate",
            ServiceMeasure::InputsDigitizedRate => "inputs_digitized_rate",
            ServiceMeasure::OnlineRate => "online_rate",
            ServiceMeasure::FullOnlineRate => "full_online_rate",
            ServiceMeasure::DataReuseRate => "data_reuse_rate",
            ServiceMeasure::OnlinePaymentRate => "online_payment_rate",
            ServiceMeasure::SatisfactionRate => "satisfaction_rate",
            ServiceMeasure::OnTimeRate => "on_time_rate",
            ServiceMeasure::LateApologyRate => "late_apology_rate",
        }
    }

    pub fn parse(s: &str) -> Option<ServiceMeasure> {
        Self::ALL.into_iter().find(|m| m.id() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            ServiceMeasure::ResultsDigitizedRate => "Tỷ lệ số hóa kết quả giải quyết TTHC",
            ServiceMeasure::InputsDigitizedRate => "Tỷ lệ số hóa thành phần hồ sơ",
            ServiceMeasure::OnlineRate => "Tỷ lệ hồ sơ nộp trực tuyến",
            ServiceMeasure::FullOnlineRate => "Tỷ lệ hồ sơ nộp trực tuyến toàn trình",
            ServiceMeasure::DataReuseRate => "Tỷ lệ tái sử dụng dữ liệu",
            ServiceMeasure::OnlinePaymentRate => "Tỷ lệ thanh toán trực tuyến",
            ServiceMeasure::SatisfactionRate => "Mức độ hài lòng",
            ServiceMeasure::OnTimeRate => "Tỷ lệ giải quyết đúng hạn",
            ServiceMeasure::LateApologyRate => "Tỷ lệ hồ sơ trễ hạn có thư xin lỗi",
        }
    }

    /// Whether a procedure's dossiers count in the denominator at all.
    pub fn counts_procedure(self, p: &ProcedureTraits) -> bool {
        match self {
            ServiceMeasure::OnlineRate => {
                matches!(p.online_level, OnlineLevel::Full | OnlineLevel::Partial)
            }
            ServiceMeasure::FullOnlineRate => p.online_level == OnlineLevel::Full,
            ServiceMeasure::OnlinePaymentRate => p.has_fee,
            _ => true,
        }
    }

    /// (numerator, denominator) of this measure in one tally of dossiers of one procedure.
    pub fn ratio_of(self, p: &ProcedureTraits, t: &Tally) -> (i64, i64) {
        if !self.counts_procedure(p) {
            return (0, 0);
        }
        match self {
            ServiceMeasure::ResultsDigitizedRate => (t.returned_digitized, t.returned),
            ServiceMeasure::InputsDigitizedRate => (t.inputs_digitized, t.received),
            ServiceMeasure::OnlineRate | ServiceMeasure::FullOnlineRate => (t.online, t.received),
            ServiceMeasure::DataReuseRate => (t.reused, t.received),
            ServiceMeasure::OnlinePaymentRate => (t.paid_online, t.received),
            ServiceMeasure::SatisfactionRate => (t.satisfied, t.rated),
            ServiceMeasure::OnTimeRate => (t.on_time, t.decided),
            ServiceMeasure::LateApologyRate => (t.late_apologized, t.decided - t.on_time),
        }
    }

    /// Whether one dossier is in the numerator or denominator: the per-dossier form of
    /// [`ServiceMeasure::ratio_of`], for dossier lists and their tests.
    pub fn includes(self, part: RatioPart, p: &ProcedureTraits, d: &Dossier) -> bool {
        let (num, den) = self.ratio_of(p, &Tally::of(d));
        match part {
            RatioPart::Numerator => num > 0,
            RatioPart::Denominator => den > 0,
        }
    }
}

impl CatalogMeasure {
    pub const ALL: [CatalogMeasure; 2] = [
        CatalogMeasure::OnlineServiceRate,
        CatalogMeasure::OnlinePaymentOfferedRate,
    ];

    pub fn id(self) -> &'static str {
        match self {
            CatalogMeasure::OnlineServiceRate => "online_service_rate",
            CatalogMeasure::OnlinePaymentOfferedRate => "online_payment_offered_rate",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            CatalogMeasure::OnlineServiceRate => "Tỷ lệ TTHC cung cấp DVC trực tuyến",
            CatalogMeasure::OnlinePaymentOfferedRate => {
                "Tỷ lệ TTHC có phí được thanh toán trực tuyến"
            }
        }
    }

    /// (numerator, denominator) over the non-internal procedures still in a catalogue.
    pub fn ratio<'a>(self, procedures: impl IntoIterator<Item = &'a Procedure>) -> Ratio {
        let mut r = Ratio::default();
        for p in procedures.into_iter().filter(|p| !p.internal && !p.retired) {
            let (num, den) = match self {
                CatalogMeasure::OnlineServiceRate => (
                    matches!(p.online_level, OnlineLevel::Full | OnlineLevel::Partial),
                    true,
                ),
                CatalogMeasure::OnlinePaymentOfferedRate => {
                    (p.has_fee && p.online_payment, p.has_fee)
                }
            };
            r.numerator += i64::from(num);
            r.denominator += i64::from(den);
        }
        r
    }
}

/// Tử số / mẫu số — a measure's two counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ratio {
    pub numerator: i64,
    pub denominator: i64,
}

impl Ratio {
    /// numerator ÷ denominator × 100, unrounded; `None` on an empty denominator ("no data").
    pub fn percent(&self) -> Option<f64> {
        (self.denominator > 0).then(|| self.numerator as f64 * 100.0 / self.denominator as f64)
    }
}

/// Every dossier measure's ratio over a set of tallies: the one place the arithmetic lives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MeasureSet {
    pub ratios: [Ratio; 9],
}

impl MeasureSet {
    /// Adds one tally of dossiers of a procedure with these traits.
    pub fn add(&mut self, p: &ProcedureTraits, t: &Tally) {
        for (i, m) in ServiceMeasure::ALL.into_iter().enumerate() {
            let (num, den) = m.ratio_of(p, t);
            self.ratios[i].numerator += num;
            self.ratios[i].denominator += den;
        }
    }

    pub fn get(&self, m: ServiceMeasure) -> Ratio {
        let i = ServiceMeasure::ALL
            .iter()
            .position(|x| *x == m)
            .expect("every measure is in ALL");
        self.ratios[i]
    }
}

/// The scope an indicator is computed for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Scope {
    All,
    Level(UnitLevel),
    Unit(UnitId),
    Catalog,
}

impl Scope {
    /// The scope a [`Scope::code`] names (`None` for neither a scope word nor a unit id).
    pub fn from_code(code: &str) -> Option<Scope> {
        match code {
            "all" => Some(Scope::All),
            "huyen" => Some(Scope::Level(UnitLevel::District)),
            "xa" => Some(Scope::Level(UnitLevel::Commune)),
            "catalog" => Some(Scope::Catalog),
            id => UnitId::parse(id).ok().map(Scope::Unit),
        }
    }

    /// Its Vietnamese name: "Toàn huyện", "Cấp huyện", "Cấp xã", "Danh mục TTHC", or the unit's
    /// name in the registry (its id when the registry does not hold it).
    pub fn name_vi(&self, registry: &crate::Registry) -> String {
        match self {
            Scope::All => "Toàn huyện".into(),
            Scope::Level(UnitLevel::Commune) => "Cấp xã".into(),
            Scope::Level(_) => "Cấp huyện".into(),
            Scope::Catalog => "Danh mục TTHC".into(),
            Scope::Unit(id) => registry
                .get(id)
                .map(|u| u.name.clone())
                .unwrap_or_else(|| id.to_string()),
        }
    }

    /// [`Scope::name_vi`] of a scope code as the JSON output writes it; the code itself when it
    /// names no scope.
    pub fn name_of_code(code: &str, registry: &crate::Registry) -> String {
        Scope::from_code(code).map_or_else(|| code.to_string(), |s| s.name_vi(registry))
    }

    /// `all`, `huyen`, `xa`, `catalog` or the unit id: the `scope` of the JSON output.
    pub fn code(&self) -> String {
        match self {
            Scope::All => "all".into(),
            Scope::Level(UnitLevel::Commune) => "xa".into(),
            Scope::Level(_) => "huyen".into(),
            Scope::Unit(id) => id.to_string(),
            Scope::Catalog => "catalog".into(),
        }
    }
}

/// A measure's target in the plan: the target code and the threshold for a scope.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetThreshold {
    pub code: String,
    pub measure: Measure,
}

/// Trạng thái chỉ tiêu — how a figure stands against its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetStatus {
    Met,
    NotMet,
    NoData,
    NoTarget,
}

impl TargetStatus {
    pub fn of(ratio: &Ratio, target: Option<&TargetThreshold>) -> TargetStatus {
        match (ratio.percent(), target) {
            (None, _) => TargetStatus::NoData,
            (Some(_), None) => TargetStatus::NoTarget,
            (Some(v), Some(t)) if t.measure.is_met(v) => TargetStatus::Met,
            (Some(_), Some(_)) => TargetStatus::NotMet,
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            TargetStatus::Met => "Đạt",
            TargetStatus::NotMet => "Chưa đạt",
            TargetStatus::NoData => "Chưa có số liệu",
            TargetStatus::NoTarget => "Không có chỉ tiêu",
        }
    }
}

/// Any measure of the spec, dossier or catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AnyMeasure {
    Dossier(ServiceMeasure),
    Catalog(CatalogMeasure),
}

/// The Vietnamese label of a measure id (a dossier or a catalogue measure); the id itself when
/// it names neither.
pub fn measure_label_vi(id: &str) -> &str {
    ServiceMeasure::parse(id)
        .map(|m| m.label_vi())
        .or_else(|| {
            CatalogMeasure::ALL
                .into_iter()
                .find(|m| m.id() == id)
                .map(|m| m.label_vi())
        })
        .unwrap_or(id)
}

/// Which plan target each measure answers, in the order the target's sentence states them:
/// 3.2 reads "100% TTHC … trực tuyến; … nộp trực tuyến 70%; … toàn trình 90%".
const TARGET_MEASURES: &[(&str, &[AnyMeasure])] = &[
    (
        "3.1",
        &[AnyMeasure::Dossier(ServiceMeasure::ResultsDigitizedRate)],
    ),
    (
        "3.2",
        &[
            AnyMeasure::Catalog(CatalogMeasure::OnlineServiceRate),
            AnyMeasure::Dossier(ServiceMeasure::OnlineRate),
            AnyMeasure::Dossier(ServiceMeasure::FullOnlineRate),
        ],
    ),
    ("3.3", &[AnyMeasure::Dossier(ServiceMeasure::DataReuseRate)]),
    (
        "3.5",
        &[
            AnyMeasure::Catalog(CatalogMeasure::OnlinePaymentOfferedRate),
            AnyMeasure::Dossier(ServiceMeasure::OnlinePaymentRate),
        ],
    ),
    (
        "3.6",
        &[AnyMeasure::Dossier(ServiceMeasure::SatisfactionRate)],
    ),
];

/// The level a measure's scope names: "cấp huyện" → district, "cấp xã" → commune; any other
/// scope ("toàn trình") qualifies the figure rather than restricting it to a level.
fn scope_level(scope: Option<&str>) -> Option<UnitLevel> {
    let s = crate::text::fold(scope?);
    match s.as_str() {
        "cap huyen" | "huyen" => Some(UnitLevel::District),
        "cap xa" | "xa" | "cap xa, thi tran" => Some(UnitLevel::Commune),
        _ => None,
    }
}

/// The plan target code a measure answers, if the spec gives one.
pub fn target_code(m: AnyMeasure) -> Option<&'static str> {
    TARGET_MEASURES
        .iter()
        .find(|(_, ms)| ms.contains(&m))
        .map(|(code, _)| *code)
}

/// The threshold the plan sets for a measure in a scope, read from the plan's measures.
///
/// A target's measures are grouped in sentence order: a run of level-scoped measures ("cấp
/// huyện 80%, cấp xã 75%") is one group, any other measure a group of its own; the n-th group
/// belongs to the n-th measure the spec maps to that target. Within a group, a level-scoped
/// threshold applies to that level (and its units), an unscoped one to every scope.
pub fn target_for(
    plan: &Plan,
    m: AnyMeasure,
    scope_level_of: Option<UnitLevel>,
) -> Option<TargetThreshold> {
    let (code, measures) = TARGET_MEASURES.iter().find(|(_, ms)| ms.contains(&m))?;
    let slot = measures.iter().position(|x| *x == m)?;
    let target = plan.targets.iter().find(|t| t.code == *code)?;
    let mut groups: Vec<Vec<&Measure>> = Vec::new();
    let mut in_level_run = false;
    for measure in &target.measures {
        let leveled = scope_level(measure.scope.as_deref()).is_some();
        if leveled && in_level_run {
            groups.last_mut().expect("a run has a group").push(measure);
        } else {
            groups.push(vec![measure]);
        }
        in_level_run = leveled;
    }
    let group = groups.get(slot)?;
    let chosen = group
        .iter()
        .find(|x| {
            let lvl = scope_level(x.scope.as_deref());
            lvl.is_some() && lvl == scope_level_of
        })
        .or_else(|| {
            group
                .iter()
                .find(|x| scope_level(x.scope.as_deref()).is_none())
        })?;
    Some(TargetThreshold {
        code: code.to_string(),
        measure: (*chosen).clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::{MeasureOp, MeasureUnit};

    fn dt(s: &str) -> NaiveDateTime {
        parse_datetime(s).unwrap()
    }

    #[test]
    fn every_date_form_of_the_spec_parses() {
        let midnight = dt("2024-03-31");
        assert_eq!(dt("31/03/2024"), midnight);
        assert_eq!(
            dt("2024-03-31 23:59"),
            midnight + chrono::Duration::minutes(1439)
        );
        assert_eq!(dt("2024-03-31T23:59:59").to_string(), "2024-03-31 23:59:59");
        assert_eq!(dt("31/03/2024 07:05:09").to_string(), "2024-03-31 07:05:09");
        for bad in [
            "2024-02-30",
            "31-03-2024",
            "2024/03/31",
            "31/03/24",
            "2024-03-31 25:00",
            "",
        ] {
            let e = parse_datetime(bad).unwrap_err();
            assert!(e.contains("không hợp lệ"), "{bad}: {e}");
        }
    }

    proptest::proptest! {
        /// The fixed-width reader accepts nothing chrono's parsers would read otherwise:
        /// digits and separators shuffled over every fixed-width shape, valid or not.
        #[test]
        fn fixed_width_dates_agree_with_the_general_parser(
            shape in 0usize..6,
            digits in proptest::collection::vec(0u8..10, 14),
            sep in proptest::sample::select(vec![' ', 'T', '-', '/', ':', 'x']),
        ) {
            let d: Vec<char> = digits.iter().map(|&n| char::from(b'0' + n)).collect();
            let s = |r: std::ops::Range<usize>| d[r].iter().collect::<String>();
            let date = if shape % 2 == 0 {
                format!("{}{}-{}-{}", s(0..2), s(2..4), s(4..6), s(6..8))
            } else {
                format!("{}/{}/{}{}", s(6..8), s(4..6), s(0..2), s(2..4))
            };
            let text = match shape / 2 {
                0 => date,
                1 => format!("{date}{sep}{}:{}", s(8..10), s(10..12)),
                _ => format!("{date}{sep}{}:{}:{}", s(8..10), s(10..12), s(12..14)),
            };
            if let Some(v) = parse_datetime_fixed(text.as_bytes()) {
                proptest::prop_assert_eq!(parse_datetime_general(&text), Ok(v), "{}", text);
            }
        }
    }

    #[test]
    fn the_fixed_width_reader_takes_the_spec_forms() {
        for t in [
            "2024-03-31",
            "31/03/2024 07:05",
            "2024-03-31T23:59:59",
            "01/01/1900 00:00:00",
        ] {
            assert!(parse_datetime_fixed(t.as_bytes()).is_some(), "{t}");
        }
        for t in [
            "2024-02-30",
            "31/03/24",
            "2024-03-31 25:00",
            "1/3/2024",
            "3024-01-01",
        ] {
            assert!(parse_datetime_fixed(t.as_bytes()).is_none(), "{t}");
        }
    }

    #[test]
    fn every_boolean_spelling_parses() {
        for t in ["1", "true", "TRUE", "có", "Có", "x", "X"] {
            assert!(parse_bool(t).unwrap(), "{t}");
        }
        for f in ["0", "false", "không", "Không", "", "  "] {
            assert!(!parse_bool(f).unwrap(), "{f}");
        }
        assert!(parse_bool("yes").is_err());
    }

    fn dossier(status: DossierStatus, due: &str, returned: Option<&str>) -> Dossier {
        Dossier {
            code: DossierCode::parse("HS1").unwrap(),
            procedure: ProcedureCode::parse("1.1").unwrap(),
            unit: UnitId::parse("xa-tung-anh").unwrap(),
            channel: Channel::Online,
            received: dt("2024-01-02 08:00"),
            due: dt(due),
            returned: returned.map(dt),
            status,
            inputs_digitized: true,
            results_digitized: true,
            data_reused: false,
            paid_online: true,
            rating: Some(Rating::Neutral),
            apology: true,
        }
    }

    #[test]
    fn on_time_compares_dates_not_times() {
        let d = dossier(
            DossierStatus::Returned,
            "2024-01-05 08:00",
            Some("2024-01-05 17:00"),
        );
        assert!(d.on_time() && !d.late());
        let d = dossier(
            DossierStatus::Refused,
            "2024-01-05",
            Some("2024-01-06 00:00"),
        );
        assert!(d.late());
        let t = Tally::of(&d);
        assert_eq!((t.decided, t.on_time, t.late_apologized), (1, 0, 1));
        // Pending: no return date, so neither on time nor late.
        let d = dossier(DossierStatus::InProgress, "2024-01-05", None);
        assert!(!d.decided());
    }

    #[test]
    fn a_withdrawn_dossier_counts_nowhere_but_withdrawn() {
        let d = dossier(DossierStatus::Withdrawn, "2024-01-05", Some("2024-01-03"));
        let t = Tally::of(&d);
        assert_eq!(t.withdrawn, 1);
        assert_eq!(t.to_array().iter().sum::<i64>(), 1);
    }

    #[test]
    fn tallies_add_and_subtract_back_to_zero() {
        let a = Tally::of(&dossier(
            DossierStatus::Returned,
            "2024-01-05",
            Some("2024-01-09"),
        ));
        let mut t = Tally::default();
        t.add(&a);
        t.add(&a);
        t.sub(&a);
        assert_eq!(t, a);
        t.sub(&a);
        assert!(t.is_zero());
    }

    #[test]
    fn an_empty_denominator_has_no_value() {
        let r = Ratio {
            numerator: 0,
            denominator: 0,
        };
        assert_eq!(r.percent(), None);
        assert_eq!(TargetStatus::of(&r, None), TargetStatus::NoData);
    }

    fn plan_with(code: &str, measures: Vec<Measure>) -> Plan {
        let mut plan: Plan = serde_json::from_value(serde_json::json!({
            "format": "cchc-plan/1",
            "decision": {"number": "1/QĐ-UBND", "date": null, "place": null, "title": "t",
                          "signer": null, "legal_basis": [], "recipients": []},
            "year": 2025,
            "owner": {"unresolved": "x", "text": "x"},
            "areas": [], "targets": [], "solutions": [], "sections": [], "diagnostics": []
        }))
        .expect("a minimal plan");
        plan.targets.push(crate::plan::Target {
            code: code.into(),
            area: 3,
            text: String::new(),
            measures,
        });
        plan
    }

    fn ge(v: f64, scope: Option<&str>) -> Measure {
        Measure {
            op: MeasureOp::Ge,
            value: v,
            max: None,
            unit: MeasureUnit::Percent,
            scope: scope.map(str::to_string),
        }
    }

    #[test]
    fn scope_codes_read_back_and_name_their_scope_in_vietnamese() {
        let registry = crate::Registry::new(vec![crate::Unit {
            id: UnitId::parse("xa-tung-anh").unwrap(),
            name: "Xã Tùng Ảnh".into(),
            kind: crate::UnitKind::Commune,
            parent: None,
            aliases: vec![],
            source: "test".into(),
        }]);
        for (code, name) in [
            ("all", "Toàn huyện"),
            ("huyen", "Cấp huyện"),
            ("xa", "Cấp xã"),
            ("catalog", "Danh mục TTHC"),
            ("xa-tung-anh", "Xã Tùng Ảnh"),
            // A unit the registry does not hold keeps its id.
            ("xa-khac", "xa-khac"),
        ] {
            let scope = Scope::from_code(code).unwrap();
            assert_eq!(scope.code(), code);
            assert_eq!(Scope::name_of_code(code, &registry), name);
        }
        assert_eq!(Scope::name_of_code("", &registry), "");
        assert_eq!(
            measure_label_vi("online_rate"),
            ServiceMeasure::OnlineRate.label_vi()
        );
        assert_eq!(measure_label_vi("khong-co"), "khong-co");
    }

    #[test]
    fn thresholds_come_from_the_plan_by_position_and_level() {
        let plan = plan_with(
            "3.5",
            vec![
                ge(85.0, None),
                ge(50.0, Some("cấp huyện")),
                ge(41.0, Some("cấp xã")),
            ],
        );
        let pay = AnyMeasure::Dossier(ServiceMeasure::OnlinePaymentRate);
        let offered = AnyMeasure::Catalog(CatalogMeasure::OnlinePaymentOfferedRate);
        let v = |plan: &Plan, m, lvl| target_for(plan, m, lvl).map(|t| t.measure.value);
        assert_eq!(v(&plan, pay, Some(UnitLevel::District)), Some(50.0));
        assert_eq!(v(&plan, pay, Some(UnitLevel::Commune)), Some(41.0));
        assert_eq!(
            v(&plan, pay, None),
            None,
            "no threshold for all levels together"
        );
        assert_eq!(v(&plan, offered, None), Some(85.0));
        let plan = plan_with(
            "3.2",
            vec![
                ge(100.0, None),
                ge(75.0, None),
                ge(95.0, Some("toàn trình")),
            ],
        );
        let full = AnyMeasure::Dossier(ServiceMeasure::FullOnlineRate);
        assert_eq!(v(&plan, full, Some(UnitLevel::Commune)), Some(95.0));
        assert_eq!(
            v(&plan, AnyMeasure::Dossier(ServiceMeasure::OnlineRate), None),
            Some(75.0)
        );
        assert_eq!(
            v(
                &plan,
                AnyMeasure::Dossier(ServiceMeasure::SatisfactionRate),
                None
            ),
            None
        );
    }
}
