//! Nhắc việc — reminders: the schedule (lịch nhắc) that says on which days around a reporting
//! period's due date units are reminded, the kinds of reminder, and the Vietnamese message.
//! Pure: which step is due on a day, and what the message says; the app decides who gets it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Lịch nhắc — the days, counted from a period's due date, on which reminders go out
/// (negative: before the due date, 0: on the due day), then every `repeat_days` days after the
/// last of them while the report is still missing (0: no repeat).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderSchedule {
    offsets: Vec<i64>,
    repeat_days: i64,
}

/// The longest a step may lie from the due date, either way (a year).
const MAX_OFFSET: i64 = 366;

impl Default for ReminderSchedule {
    /// 3 days before, 1 day after and 7 days after the due date, then every 7 days.
    fn default() -> Self {
        ReminderSchedule {
            offsets: vec![-3, 1, 7],
            repeat_days: 7,
        }
    }
}

impl ReminderSchedule {
    /// A schedule from the offsets as a person writes them ("-3, 0, 1, 7") and the repeat
    /// interval in days; the offsets are sorted and deduplicated. Refused in Vietnamese, saying
    /// which value is wrong.
    pub fn parse(offsets: &str, repeat_days: &str) -> Result<ReminderSchedule, String> {
        let mut out = Vec::new();
        for (i, part) in offsets
            .split([',', ';', ' '])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .enumerate()
        {
            let n: i64 = part.trim_start_matches('+').parse().map_err(|_| {
                format!(
                    "lịch nhắc: mốc thứ {} «{part}» không phải số ngày (ví dụ: -3, 0, 1, 7)",
                    i + 1
                )
            })?;
            if n.abs() > MAX_OFFSET {
                return Err(format!(
                    "lịch nhắc: mốc thứ {} «{part}» quá xa hạn nộp (tối đa {MAX_OFFSET} ngày)",
                    i + 1
                ));
            }
            out.push(n);
        }
        if out.is_empty() {
            return Err(
                "lịch nhắc: cần ít nhất một mốc (số ngày so với hạn nộp, ví dụ: -3, 0, 1, 7)"
                    .to_string(),
            );
        }
        out.sort_unstable();
        out.dedup();
        let repeat = repeat_days.trim();
        let repeat_days: i64 = match repeat {
            "" => 0,
            r => r
                .parse()
                .ok()
                .filter(|d| (0..=MAX_OFFSET).contains(d))
                .ok_or_else(|| {
                    format!(
                    "lịch nhắc: «nhắc lại sau mỗi» «{r}» phải là số ngày từ 0 đến {MAX_OFFSET} \
                     (0: không nhắc lại)"
                )
                })?,
        };
        Ok(ReminderSchedule {
            offsets: out,
            repeat_days,
        })
    }

    /// The offsets in days from the due date, in order.
    pub fn offsets(&self) -> &[i64] {
        &self.offsets
    }

    pub fn repeat_days(&self) -> i64 {
        self.repeat_days
    }

    /// The offsets as the form shows them: "-3, 1, 7".
    pub fn offsets_text(&self) -> String {
        self.offsets
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The step due on `today` for a period due on `due`: the latest step (offset in days) whose
    /// day has come, counting the repeats after the last offset. `None` before the first step.
    /// Only the latest step is sent, so that a server started late does not send the missed
    /// ones one after the other.
    pub fn step_on(&self, due: NaiveDate, today: NaiveDate) -> Option<i64> {
        let day = (today - due).num_days();
        let last = *self.offsets.last()?;
        if day > last && self.repeat_days > 0 {
            return Some(last + (day - last) / self.repeat_days * self.repeat_days);
        }
        self.offsets.iter().rev().find(|o| **o <= day).copied()
    }

    /// The step in words: "3 ngày trước hạn", "ngày đến hạn", "7 ngày sau hạn".
    pub fn step_vi(step: i64) -> String {
        match step {
            0 => "ngày đến hạn".to_string(),
            s if s < 0 => format!("{} ngày trước hạn", -s),
            s => format!("{s} ngày sau hạn"),
        }
    }
}

/// Loại nhắc việc — why a unit is reminded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderKind {
    /// Chưa gửi báo cáo: no report, or one still in draft.
    Missing,
    /// Báo cáo bị trả lại: returned, to be corrected and sent again.
    Returned,
    /// Hoạt động quá hạn: the unit leads activities past their deadline.
    Overdue,
}

impl ReminderKind {
    pub const ALL: [ReminderKind; 3] = [
        ReminderKind::Missing,
        ReminderKind::Returned,
        ReminderKind::Overdue,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReminderKind::Missing => "missing",
            ReminderKind::Returned => "returned",
            ReminderKind::Overdue => "overdue",
        }
    }

    pub fn parse(s: &str) -> Option<ReminderKind> {
        ReminderKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            ReminderKind::Missing => "Chưa gửi báo cáo",
            ReminderKind::Returned => "Báo cáo bị trả lại",
            ReminderKind::Overdue => "Hoạt động quá hạn",
        }
    }
}

/// What a reminder message says, before it is put into words.
#[derive(Debug, Clone)]
pub struct ReminderFacts<'a> {
    pub kind: ReminderKind,
    pub unit_name: &'a str,
    /// «Quý I năm 2024».
    pub period_label: &'a str,
    pub due: NaiveDate,
    pub step: i64,
    /// Overdue activities: (number as the decision writes it, text, days late).
    pub overdue: &'a [(String, String, i64)],
    /// The full address of the page to act on.
    pub link: &'a str,
}

/// Thư nhắc việc: (subject, body) in Vietnamese, naming the unit, the period, the due date
/// (dd/mm/yyyy), what is missing, returned or overdue, and the link.
pub fn reminder_message(f: &ReminderFacts<'_>) -> (String, String) {
    let due = f.due.format("%d/%m/%Y");
    let when = ReminderSchedule::step_vi(f.step);
    let subject = match f.kind {
        ReminderKind::Missing => format!(
            "[CCHC] Nhắc gửi báo cáo {} — hạn {due} ({when})",
            f.period_label
        ),
        ReminderKind::Returned => format!(
            "[CCHC] Báo cáo {} bị trả lại, cần chỉnh sửa và gửi lại — hạn {due}",
            f.period_label
        ),
        ReminderKind::Overdue => format!(
            "[CCHC] {} có {} hoạt động quá hạn",
            f.unit_name,
            f.overdue.len()
        ),
    };
    let mut body = format!("Kính gửi: {}.\n\n", f.unit_name);
    match f.kind {
        ReminderKind::Missing => body.push_str(&format!(
            "Đơn vị chưa gửi báo cáo kết quả thực hiện kế hoạch cải cách hành chính {} \
             (hạn nộp ngày {due}, hôm nay là {when}). Đề nghị đơn vị hoàn thành và gửi báo \
             cáo đúng hạn.\n",
            f.period_label
        )),
        ReminderKind::Returned => body.push_str(&format!(
            "Báo cáo kết quả thực hiện kế hoạch cải cách hành chính {} của đơn vị đã bị cơ \
             quan thường trực trả lại (hạn nộp ngày {due}). Đề nghị đơn vị xem ý kiến thẩm \
             định, chỉnh sửa và gửi lại báo cáo.\n",
            f.period_label
        )),
        ReminderKind::Overdue => {
            body.push_str(&format!(
                "Nhắc việc kỳ báo cáo {} (hạn nộp ngày {due}, hôm nay là {when}): đơn vị chủ \
                 trì các hoạt động sau đã quá thời hạn mà chưa báo cáo hoàn thành:\n",
                f.period_label
            ));
            for (number, text, days) in f.overdue {
                body.push_str(&format!("- {number} {text} (quá hạn {days} ngày)\n"));
            }
        }
    }
    body.push_str(&format!(
        "\nXem và cập nhật tại: {}\n\nThư này do hệ thống theo dõi cải cách hành chính gửi tự \
         động; vui lòng không trả lời thư.\n",
        f.link
    ));
    (subject, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_latest_step_reached_is_due_with_repeats_after_the_last() {
        let s = ReminderSchedule::default();
        let due = d(2024, 4, 15);
        assert_eq!(s.step_on(due, d(2024, 4, 11)), None);
        assert_eq!(s.step_on(due, d(2024, 4, 12)), Some(-3));
        assert_eq!(s.step_on(due, d(2024, 4, 15)), Some(-3));
        assert_eq!(s.step_on(due, d(2024, 4, 16)), Some(1));
        assert_eq!(s.step_on(due, d(2024, 4, 21)), Some(1));
        assert_eq!(s.step_on(due, d(2024, 4, 22)), Some(7));
        assert_eq!(s.step_on(due, d(2024, 4, 28)), Some(7));
        assert_eq!(s.step_on(due, d(2024, 4, 29)), Some(14));
        let once = ReminderSchedule::parse("0", "0").unwrap();
        assert_eq!(once.step_on(due, d(2024, 6, 1)), Some(0));
    }

    #[test]
    fn a_schedule_is_parsed_sorted_or_refused_in_vietnamese() {
        let s = ReminderSchedule::parse("7; -3 +1, 1", "").unwrap();
        assert_eq!(s.offsets(), &[-3, 1, 7]);
        assert_eq!(s.repeat_days(), 0);
        assert_eq!(s.offsets_text(), "-3, 1, 7");
        let e = ReminderSchedule::parse("-3, ba", "7").unwrap_err();
        assert!(e.contains("mốc thứ 2 «ba»"), "{e}");
        let e = ReminderSchedule::parse("", "7").unwrap_err();
        assert!(e.contains("ít nhất một mốc"), "{e}");
        let e = ReminderSchedule::parse("1", "-2").unwrap_err();
        assert!(e.contains("nhắc lại sau mỗi"), "{e}");
        assert!(ReminderSchedule::parse("400", "0").is_err());
    }

    #[test]
    fn the_message_names_unit_period_due_date_and_link() {
        let overdue = vec![("1.2".to_string(), "Rà soát thủ tục".to_string(), 5)];
        let (subject, body) = reminder_message(&ReminderFacts {
            kind: ReminderKind::Overdue,
            unit_name: "UBND xã Tùng Ảnh",
            period_label: "Quý I năm 2024",
            due: d(2024, 4, 15),
            step: 7,
            overdue: &overdue,
            link: "http://cchc.example/qua-han",
        });
        assert!(subject.contains("1 hoạt động quá hạn"), "{subject}");
        assert!(body.contains("15/04/2024"), "{body}");
        assert!(
            body.contains("1.2 Rà soát thủ tục (quá hạn 5 ngày)"),
            "{body}"
        );
        assert!(body.contains("http://cchc.example/qua-han"), "{body}");
        let (subject, _) = reminder_message(&ReminderFacts {
            kind: ReminderKind::Missing,
            overdue: &[],
            step: -3,
            ..ReminderFacts {
                kind: ReminderKind::Overdue,
                unit_name: "UBND xã Tùng Ảnh",
                period_label: "Quý I năm 2024",
                due: d(2024, 4, 15),
                step: 0,
                overdue: &overdue,
                link: "",
            }
        });
        assert!(subject.contains("Quý I năm 2024"), "{subject}");
        assert!(subject.contains("3 ngày trước hạn"), "{subject}");
    }
}
