//! Generated catalogue and dossier files (dữ liệu mẫu) for tests, demos and benchmarks.
//!
//! Deterministic per seed, written row by row (millions of rows in constant memory), with
//! realistic shares over the receiving units of a registry and every format the spec allows:
//! both date forms, date-times with and without seconds or a `T`, every boolean spelling.

use std::io::Write;

use cchc_domain::{Unit, UnitKind, UnitLevel};

use crate::service_files::{CATALOG_COLUMNS, DOSSIER_COLUMNS};

/// A small, fast, deterministic generator (SplitMix64): the same seed gives the same files on
/// every machine and version, which a crate's RNG does not promise.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        (((self.next_u64() >> 11) as u128 * n as u128) >> 53) as u64
    }
    /// True with probability `p` (0..1).
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * 1.0 < p
    }
}

/// What the dossier generator needs to know of a generated procedure.
#[derive(Debug, Clone)]
pub struct GenProcedure {
    pub code: String,
    pub district: bool,
    pub commune: bool,
    /// 0 full, 1 partial, 2 none.
    pub online: u8,
    pub fee: bool,
}

const FIELDS: [&str; 8] = [
    "Hộ tịch",
    "Chứng thực",
    "Đất đai",
    "Xây dựng",
    "Lao động, thương binh và xã hội",
    "Thành lập và hoạt động của hộ kinh doanh",
    "Giáo dục và đào tạo",
    "Văn hóa",
];

fn spell_bool(rng: &mut Rng, b: bool) -> &'static str {
    match (rng.below(8), b) {
        (0, true) => "true",
        (0, false) => "false",
        (1, true) => "có",
        (1, false) => "không",
        (2, true) => "x",
        (2, false) => "",
        (_, true) => "1",
        (_, false) => "0",
    }
}

/// Writes a catalogue of `count` procedures; returns them for [`write_dossiers`].
pub fn write_catalog(
    out: impl Write,
    count: usize,
    seed: u64,
) -> std::io::Result<Vec<GenProcedure>> {
    let mut rng = Rng::new(seed);
    let mut w = csv::Writer::from_writer(out);
    // Real exports carry the Vietnamese labels.
    w.write_record(CATALOG_COLUMNS.iter().map(|c| c.label))?;
    let mut procs = Vec::with_capacity(count);
    for i in 0..count {
        let code = format!("1.{:06}", 1000 + i * 7);
        let (district, commune) = match rng.below(10) {
            0..=3 => (true, false),
            4..=7 => (false, true),
            _ => (true, true),
        };
        let online = match rng.below(20) {
            0..=6 => 0,
            7..=15 => 1,
            _ => 2,
        };
        let fee = rng.chance(0.4);
        let pay = fee && rng.chance(0.75);
        let internal = rng.chance(0.05);
        let levels = match (district, commune) {
            (true, true) => "huyen,xa",
            (true, false) => "huyen",
            _ => "xa",
        };
        let level_code = ["toan_trinh", "mot_phan", "khong"][online as usize];
        let fee_s = spell_bool(&mut rng, fee);
        let pay_s = spell_bool(&mut rng, pay);
        let int_s = spell_bool(&mut rng, internal);
        w.write_record([
            code.as_str(),
            &format!("Thủ tục hành chính số {}", i + 1),
            FIELDS[i % FIELDS.len()],
            levels,
            level_code,
            fee_s,
            pay_s,
            int_s,
        ])?;
        if !internal {
            procs.push(GenProcedure {
                code,
                district,
                commune,
                online,
                fee,
            });
        }
    }
    w.flush()?;
    Ok(procs)
}

/// The units that receive dossiers: the public service centre, townships and communes.
pub fn receiving_units(units: &[Unit]) -> Vec<(String, UnitLevel)> {
    units
        .iter()
        .filter(|u| {
            matches!(
                u.kind,
                UnitKind::PublicServiceCentre | UnitKind::Township | UnitKind::Commune
            )
        })
        .map(|u| (u.id.to_string(), u.kind.level()))
        .collect()
}

/// Writes `rows` dossiers received in `year` over the given units and procedures.
pub fn write_dossiers(
    out: impl Write,
    rows: u64,
    seed: u64,
    year: i32,
    units: &[(String, UnitLevel)],
    procedures: &[GenProcedure],
) -> std::io::Result<()> {
    assert!(!units.is_empty() && !procedures.is_empty());
    let mut rng = Rng::new(seed.wrapping_mul(31).wrapping_add(7));
    let district_procs: Vec<&GenProcedure> = procedures.iter().filter(|p| p.district).collect();
    let commune_procs: Vec<&GenProcedure> = procedures.iter().filter(|p| p.commune).collect();
    let district_units: Vec<&str> = units
        .iter()
        .filter(|u| u.1 != UnitLevel::Commune)
        .map(|u| u.0.as_str())
        .collect();
    let commune_units: Vec<&str> = units
        .iter()
        .filter(|u| u.1 == UnitLevel::Commune)
        .map(|u| u.0.as_str())
        .collect();
    let start = chrono::NaiveDate::from_ymd_opt(year, 1, 1).expect("a year");
    let days = if chrono::NaiveDate::from_ymd_opt(year, 2, 29).is_some() {
        366
    } else {
        365
    };

    let mut w =
        csv::WriterBuilder::new().from_writer(std::io::BufWriter::with_capacity(1 << 16, out));
    w.write_record(DOSSIER_COLUMNS.iter().map(|c| c.code))?;
    let mut rec: Vec<String> = vec![String::new(); DOSSIER_COLUMNS.len()];
    for i in 0..rows {
        // The centre receives about 40% of dossiers; communes share the rest unevenly.
        let district = !district_units.is_empty()
            && (commune_units.is_empty() || rng.chance(0.4))
            && !district_procs.is_empty();
        let (unit, pool) = if district {
            (
                district_units[rng.below(district_units.len() as u64) as usize],
                &district_procs,
            )
        } else {
            // Skew: lower-numbered communes are bigger.
            let n = commune_units.len() as u64;
            let k = rng.below(n).min(rng.below(n));
            (commune_units[k as usize], &commune_procs)
        };
        let pool = if pool.is_empty() {
            &district_procs
        } else {
            pool
        };
        let p = pool[rng.below(pool.len() as u64) as usize];
        let day = start + chrono::Duration::days(rng.below(days) as i64);
        let received = day
            .and_hms_opt(
                7 + rng.below(10) as u32,
                rng.below(60) as u32,
                rng.below(60) as u32,
            )
            .expect("a time");
        let due = received + chrono::Duration::days(3 + rng.below(13) as i64);
        let status = match rng.below(100) {
            0..=2 => "rut",
            3..=7 => "tu_choi",
            8..=19 => "dang_xu_ly",
            _ => "da_tra",
        };
        let returned = match status {
            "da_tra" | "tu_choi" => {
                let shift = if rng.chance(0.9) {
                    -(rng.below(5) as i64)
                } else {
                    1 + rng.below(6) as i64
                };
                Some(
                    due + chrono::Duration::days(shift)
                        + chrono::Duration::hours(rng.below(8) as i64),
                )
            }
            _ => None,
        };
        let online = match p.online {
            0 => rng.chance(0.85),
            1 => rng.chance(0.6),
            _ => false,
        };
        let channel = if online {
            "truc_tuyen"
        } else if rng.chance(0.9) {
            "truc_tiep"
        } else {
            "buu_chinh"
        };
        let late = returned.is_some_and(|r| r.date() > due.date());
        rec[0] = format!("HS{year}-{i:09}");
        rec[1].clone_from(&p.code);
        rec[2] = unit.to_string();
        rec[3] = channel.to_string();
        rec[4] = format_datetime(&mut rng, received);
        rec[5] = format_datetime(&mut rng, due);
        rec[6] = returned
            .map(|r| format_datetime(&mut rng, r))
            .unwrap_or_default();
        rec[7] = status.to_string();
        let inputs = rng.chance(0.85);
        rec[8] = spell_bool(&mut rng, inputs).to_string();
        let results = status == "da_tra" && rng.chance(0.8);
        rec[9] = spell_bool(&mut rng, results).to_string();
        let reused = rng.chance(0.65);
        rec[10] = spell_bool(&mut rng, reused).to_string();
        let paid = p.fee && rng.chance(0.45);
        rec[11] = spell_bool(&mut rng, paid).to_string();
        rec[12] = if rng.chance(0.6) {
            match rng.below(100) {
                0..=69 => "rat_hai_long",
                70..=94 => "hai_long",
                95..=98 => "binh_thuong",
                _ => "khong_hai_long",
            }
            .to_string()
        } else {
            String::new()
        };
        let apology = late && rng.chance(0.7);
        rec[13] = spell_bool(&mut rng, apology).to_string();
        w.write_record(&rec)?;
    }
    w.flush()?;
    Ok(())
}

fn format_datetime(rng: &mut Rng, t: chrono::NaiveDateTime) -> String {
    match rng.below(10) {
        0..=3 => t.format("%Y-%m-%d %H:%M:%S"),
        4 => t.format("%Y-%m-%dT%H:%M"),
        5 => t.format("%Y-%m-%dT%H:%M:%S"),
        6..=7 => t.format("%d/%m/%Y %H:%M"),
        8 => t.format("%Y-%m-%d"),
        _ => t.format("%d/%m/%Y"),
    }
    .to_string()
}
