//! Ngôn ngữ — the page labels in Vietnamese (default) and English, in one table.

/// The language of a page: Vietnamese unless `?lang=en` or the `lang` cookie says otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    /// The `lang` attribute and cookie value.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim() {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The other language, for the switch in the header.
    pub fn other(self) -> Lang {
        match self {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }

    /// The label of `key` in this language.
    pub fn t(self, key: &str) -> &'static str {
        match LABELS.iter().find(|(k, _, _)| *k == key) {
            Some((_, vi, en)) => match self {
                Lang::Vi => vi,
                Lang::En => en,
            },
            None => {
                // A missing key is a programming error; tests render every page and catch it.
                debug_assert!(false, "missing label {key}");
                "?"
            }
        }
    }
}

/// (key, Vietnamese, English).
const LABELS: &[(&str, &str, &str)] = &[
    ("site", "Kế hoạch cải cách hành chính", "Administrative reform plans"),
    ("nav_plans", "Kế hoạch", "Plans"),
    ("nav_units", "Đơn vị", "Units"),
    ("nav_service", "Chỉ số TTHC", "Service indicators"),
    ("nav_evaluation", "Đánh giá", "Evaluation"),
    ("nav_reform_index", "Chỉ số CCHC xã", "Reform index"),
    ("nav_commune_plans", "Kế hoạch của xã", "Commune plans"),
    ("nav_public", "Công khai", "Public information"),
    ("switch_lang", "English", "Tiếng Việt"),
    ("nav_menu", "Trình đơn chính", "Main menu"),
    ("progress", "Tiến độ thực hiện", "Progress"),
    ("progress_rule", "Tiến độ lấy từ báo cáo các đơn vị đã gửi hoặc đã được tiếp nhận (trạng thái mới nhất của từng đơn vị); bản nháp chưa gửi không được tính.", "Progress comes from the reports units have submitted or that were accepted (each unit's latest status); unsent drafts do not count."),
    ("progress_no_units", "Hoạt động chưa gắn với đơn vị nào trong danh mục.", "No unit of the registry is named for this activity."),
    ("target_values", "Số liệu đơn vị báo cáo", "Values reported by units"),
    ("no_figures", "Chưa có số liệu.", "No figures yet."),
    ("reported_value", "Giá trị báo cáo", "Reported value"),
    ("period", "Kỳ", "Period"),
    ("unit_reports", "Báo cáo theo kỳ", "Reports by period"),
    ("no_periods", "Chưa có kỳ báo cáo nào được mở.", "No reporting period has been opened."),
    ("not_submitted", "chưa gửi", "not submitted"),
    ("unit_reports_note", "Chỉ hiện trạng thái; nội dung báo cáo xem được sau khi đăng nhập.", "States only; the report itself is shown after signing in."),
    ("sign_in", "Đăng nhập", "Sign in"),
    ("sign_out", "Đăng xuất", "Sign out"),
    ("change_password", "Đổi mật khẩu", "Change password"),
    ("home_title", "Các kế hoạch CCHC", "Reform plans"),
    (
        "home_empty",
        "Chưa có kế hoạch nào trong cơ sở dữ liệu. Nạp kế hoạch bằng lệnh «cchc plan import TỆP».",
        "No plan in the database yet. Load one with «cchc plan import FILE».",
    ),
    ("open_plan", "Mở kế hoạch", "Open the plan"),
    ("n_activities", "hoạt động", "activities"),
    ("n_targets", "chỉ tiêu", "targets"),
    ("decision", "Quyết định", "Decision"),
    ("number", "Số", "Number"),
    ("date", "Ngày ban hành", "Date"),
    ("place", "Nơi ban hành", "Place"),
    ("signer", "Người ký", "Signed by"),
    ("year", "Năm kế hoạch", "Plan year"),
    ("legal_basis", "Căn cứ", "Legal bases"),
    ("recipients", "Nơi nhận", "Recipients"),
    ("key_targets", "Các chỉ tiêu chủ yếu", "Key targets"),
    ("target", "Chỉ tiêu", "Target"),
    ("measures", "Ngưỡng", "Thresholds"),
    ("no_measure", "Chỉ tiêu không nêu ngưỡng định lượng.", "The target states no threshold."),
    ("appendix", "Phụ lục: khung nhiệm vụ", "Appendix: task matrix"),
    ("area", "Lĩnh vực", "Area"),
    ("area_rows", "Các dòng phụ lục cùng lĩnh vực", "Appendix rows of the same area"),
    ("see_in_plan", "Xem trong kế hoạch", "See in the plan"),
    ("diagnostics", "Cảnh báo", "Warnings"),
    ("no_diagnostics", "Không có cảnh báo nào.", "No warnings."),
    ("severity", "Mức độ", "Severity"),
    ("code", "Mã", "Code"),
    ("diagnostic_kind", "Loại cảnh báo", "Kind"),
    ("message", "Nội dung", "Message"),
    ("location", "Vị trí", "Location"),
    ("col_no", "TT", "No."),
    ("col_objective", "Mục tiêu", "Objective"),
    ("col_task", "Nhiệm vụ", "Task"),
    ("col_activity", "Hoạt động", "Activity"),
    ("col_output", "Kết quả, sản phẩm", "Output"),
    ("col_lead", "Chủ trì", "Lead"),
    ("col_coord", "Phối hợp", "Coordinating"),
    ("col_deadline", "Thời gian hoàn thành", "Deadline"),
    ("col_funding", "Kinh phí", "Funding"),
    ("section", "Phần", "Section"),
    ("part", "Mục", "Part"),
    ("row", "Dòng", "Row"),
    ("filter", "Lọc hoạt động", "Filter activities"),
    ("f_unit", "Đơn vị", "Unit"),
    ("f_role", "Vai trò", "Role"),
    ("f_window", "Thời hạn", "Deadline"),
    ("f_text", "Tìm kiếm (không cần dấu)", "Search (accents optional)"),
    ("f_asof", "Tính đến ngày", "As of"),
    ("all", "Tất cả", "All"),
    ("role_any", "Chủ trì hoặc phối hợp", "Lead or coordinating"),
    ("role_lead", "Chủ trì", "Lead"),
    ("role_coord", "Phối hợp", "Coordinating"),
    ("quarter", "Quý", "Quarter"),
    ("month", "Tháng", "Month"),
    ("w_overdue", "Đã quá hạn", "Overdue"),
    ("w_recurring", "Thường xuyên", "Recurring"),
    ("w_conditional", "Có điều kiện", "Conditional"),
    ("apply", "Lọc", "Apply"),
    ("clear", "Xóa bộ lọc", "Clear filters"),
    ("found", "Có", "Showing"),
    ("of_total", "trên tổng số", "of"),
    ("as_of", "tính đến ngày", "as of"),
    ("no_match", "Không có hoạt động nào phù hợp với bộ lọc.", "No activity matches the filter."),
    ("bad_area", "Không có lĩnh vực số", "There is no area number"),
    ("bad_unit", "Không có đơn vị mã", "There is no unit with id"),
    ("bad_role", "Không hiểu vai trò", "Unknown role"),
    (
        "bad_window",
        "Không hiểu thời hạn (dùng 2024-Q2, 2024-03, qua_han, thuong_xuyen, co_dieu_kien)",
        "Unknown deadline window (use 2024-Q2, 2024-03, qua_han, thuong_xuyen, co_dieu_kien)",
    ),
    ("bad_date", "Ngày không hợp lệ (dùng yyyy-mm-dd)", "Invalid date (use yyyy-mm-dd)"),
    ("ignored", "tiêu chí này bị bỏ qua", "this criterion is ignored"),
    ("group", "Nhóm", "Group"),
    ("units_in_group", "đơn vị", "units"),
    (
        "group_empty",
        "Nhóm chưa xác định đơn vị cụ thể: cơ quan thường trực phân công.",
        "The group names no unit: the standing office assigns them.",
    ),
    (
        "unresolved",
        "Chưa xác định được đơn vị trong danh mục",
        "Not found in the unit registry",
    ),
    ("overdue", "đã quá hạn", "overdue"),
    ("expired", "hết hạn", "deadline passed"),
    (
        "expired_hint",
        "Đã qua thời hạn; các đơn vị chủ trì đã báo cáo hoàn thành",
        "The deadline has passed; the lead units report it done",
    ),
    (
        "overdue_definition",
        cchc_app::execution::OVERDUE_DEFINITION,
        "Overdue: an activity with a set deadline (a date or a span) whose last day has passed and \
         that a lead unit has not reported done in its latest sent report (drafts and returned \
         reports do not count yet); each unit counts only what it \
         leads (coordinated work does not count); recurring and conditional activities do not count.",
    ),
    ("w_accepted_by", "Tiếp nhận", "Accepted by"),
    ("w_days_late", "Số ngày quá hạn", "Days overdue"),
    ("w_lead_units_late", "Đơn vị chủ trì chưa hoàn thành", "Lead units not done"),
    ("due", "hạn", "due"),
    ("activity", "Hoạt động", "Activity"),
    ("activity_id", "Mã hoạt động", "Activity key"),
    ("units_title", "Danh mục đơn vị", "Unit registry"),
    ("kind", "Loại", "Kind"),
    ("parent", "Trực thuộc", "Parent"),
    ("children", "Đơn vị trực thuộc", "Subordinate units"),
    ("aliases", "Tên gọi khác", "Other names"),
    ("member_of", "Thuộc các nhóm", "Member of groups"),
    ("unit_tasks", "Nhiệm vụ được giao", "Assigned work"),
    ("unit_none", "Đơn vị không chủ trì, không phối hợp hoạt động nào.", "The unit leads or coordinates no activity."),
    ("via_group", "qua nhóm", "through the group"),
    ("no_plans", "Chưa có kế hoạch nào.", "No plan yet."),
    ("home", "Trang chủ", "Home"),
    ("not_found", "Không tìm thấy trang", "Page not found"),
    (
        "not_found_text",
        "Địa chỉ này không có trong hệ thống: kế hoạch, hoạt động, chỉ tiêu hoặc đơn vị có thể đã bị xóa hoặc mã bị gõ sai.",
        "Nothing lives at this address: the plan, activity, target or unit may have been removed, or the address mistyped.",
    ),
    ("server_error", "Lỗi hệ thống", "Server error"),
    (
        "server_error_text",
        "Không đọc được dữ liệu. Vui lòng thử lại sau ít phút; nếu lỗi còn tiếp diễn, báo cho quản trị hệ thống.",
        "The data could not be read. Try again in a few minutes; if it persists, tell the administrator.",
    ),
    ("back_home", "Về trang chủ", "Back to the home page"),
    ("skip", "Bỏ qua, đến nội dung chính", "Skip to content"),
    // Execution pages (tổ chức thực hiện).
    ("w_reports", "Báo cáo", "Reports"),
    ("w_dashboard", "Tổng quan", "Dashboard"),
    ("w_overdue_list", "Quá hạn", "Overdue"),
    ("w_audit", "Nhật ký", "Audit trail"),
    ("w_accounts", "Tài khoản", "Accounts"),
    ("w_notices", "Thông báo", "Notices"),
    ("w_notices_none", "Chưa có thông báo.", "No notices yet."),
    ("w_notices_read", "Đánh dấu đã đọc tất cả", "Mark all as read"),
    ("w_unread", "Chưa đọc", "Unread"),
    ("w_reminders", "Nhắc việc", "Reminders"),
    ("w_reminder_schedule", "Lịch nhắc", "Schedule"),
    ("w_reminder_offsets", "Các mốc nhắc (số ngày so với hạn nộp; âm là trước hạn)", "Steps (days from the due date; negative is before)"),
    ("w_reminder_repeat", "Sau mốc cuối, nhắc lại mỗi (ngày; 0: không nhắc lại)", "After the last step, repeat every (days; 0: no repeat)"),
    ("w_reminder_save", "Lưu lịch nhắc", "Save the schedule"),
    ("w_reminder_log", "Nhắc việc đã tạo", "Reminders made"),
    ("w_reminder_none", "Chưa có nhắc việc nào.", "No reminder yet."),
    ("w_recipient", "Người nhận", "Recipient"),
    ("w_reminder_kind", "Loại", "Kind"),
    ("w_reminder_step", "Mốc", "Step"),
    ("w_reminder_state", "Trạng thái", "State"),
    ("w_time", "Thời điểm", "Time"),
    ("w_email", "Thư điện tử", "E-mail"),
    ("w_set_email", "Lưu thư điện tử", "Save the e-mail"),
    ("w_periods", "Kỳ báo cáo", "Reporting periods"),
    ("w_report_of", "Báo cáo kỳ", "Report for period"),
    ("w_state", "Trạng thái", "State"),
    ("w_version", "Phiên bản", "Version"),
    ("w_due_at", "Hạn nộp", "Due"),
    ("w_submitted_at", "Gửi lúc", "Submitted at"),
    ("w_status", "Tình trạng thực hiện", "Progress"),
    ("w_note", "Kết quả thực hiện", "What was done"),
    ("w_evidence", "Tài liệu kiểm chứng", "Evidence"),
    ("w_ev_number", "Số văn bản", "Document no."),
    ("w_ev_date", "Ngày", "Date"),
    ("w_ev_issuer", "Cơ quan ban hành", "Issued by"),
    ("w_ev_title", "Trích yếu", "Subject"),
    ("w_ev_file", "Tệp (PDF, DOCX, XLSX, ảnh)", "File (PDF, DOCX, XLSX, image)"),
    ("w_ev_add", "Thêm văn bản", "Add a document"),
    ("w_difficulties", "Khó khăn, vướng mắc", "Difficulties"),
    ("w_proposals", "Đề xuất, kiến nghị", "Proposals"),
    ("w_targets", "Giá trị chỉ tiêu đơn vị báo cáo", "Target values reported"),
    ("w_save", "Lưu bản nháp", "Save draft"),
    ("w_submit", "Gửi báo cáo", "Submit the report"),
    ("w_approve", "Thủ trưởng duyệt", "Approve (unit head)"),
    ("w_review", "Thẩm định", "Review"),
    ("w_accept", "Tiếp nhận", "Accept"),
    ("w_return", "Trả lại để bổ sung", "Return for revision"),
    ("w_comment", "Ý kiến chung", "General comment"),
    ("w_item_comment", "Ý kiến về hoạt động này", "Comment on this activity"),
    ("w_reviewer_says", "Ý kiến thẩm định", "Reviewer's comment"),
    ("w_versions", "Các phiên bản", "Versions"),
    ("w_compare", "So sánh", "Compare"),
    ("w_board", "Bảng theo dõi báo cáo", "Report board"),
    ("w_unit", "Đơn vị", "Unit"),
    ("w_activities", "Số hoạt động", "Activities"),
    ("w_timeliness", "Đúng hạn", "Timeliness"),
    ("w_on_time", "đúng hạn", "on time"),
    ("w_late", "trễ hạn", "late"),
    ("w_missing", "chưa gửi", "not submitted"),
    ("w_open", "Mở", "Open"),
    ("w_open_period", "Mở kỳ báo cáo", "Open a period"),
    ("w_period_code", "Mã kỳ (2024-Q1, 2024-H1, 2024-9M, 2024)", "Period code (2024-Q1, 2024-H1, 2024-9M, 2024)"),
    ("w_approval_switch", "Bước duyệt của thủ trưởng đơn vị", "Unit-head approval step"),
    ("w_on", "Bật", "On"),
    ("w_off", "Tắt", "Off"),
    ("w_by_unit", "Theo đơn vị", "By unit"),
    ("w_by_area", "Theo lĩnh vực", "By area"),
    ("w_completion", "Tỷ lệ hoàn thành", "Completion"),
    ("w_submission", "Tình hình gửi báo cáo", "Report submission"),
    ("w_who", "Người thực hiện", "Who"),
    ("w_when", "Thời điểm", "When"),
    ("w_what", "Thao tác", "What"),
    ("w_object", "Đối tượng", "Object"),
    ("w_before_after", "Trước → sau", "Before → after"),
    ("w_filter", "Lọc", "Filter"),
    ("w_from", "Từ ngày", "From"),
    ("w_to", "Đến ngày", "To"),
    ("w_username", "Tên đăng nhập", "Username"),
    ("w_role", "Vai trò", "Role"),
    ("w_password", "Mật khẩu (ít nhất 10 ký tự)", "Password (10 characters or more)"),
    ("w_add_account", "Thêm tài khoản", "Add an account"),
    ("w_reset_password", "Đặt lại mật khẩu", "Reset password"),
    ("w_disable", "Khóa tài khoản", "Disable"),
    ("w_disabled", "đã khóa", "disabled"),
    ("w_pages", "Các trang", "Pages"),
    ("w_page", "Trang", "Page"),
    ("w_page_prev", "Trang trước", "Previous page"),
    ("w_page_next", "Trang sau", "Next page"),
    ("w_audit_count", "mục, mới nhất trước; số mục một trang:", "entries, newest first; entries per page:"),
    ("w_sessions", "Phiên đăng nhập", "Sessions"),
    ("w_sessions_intro", "Các phiên đăng nhập của tài khoản này (mã phiên là mã rút gọn, không phải mã bí mật của cookie).", "This account's sessions (the id is a short non-secret id, not the cookie's secret)."),
    ("w_session_id", "Mã phiên", "Session id"),
    ("w_session_created", "Bắt đầu", "Started"),
    ("w_session_seen", "Hoạt động gần nhất", "Last seen"),
    ("w_session_current", "phiên này", "this session"),
    ("w_session_end", "Kết thúc phiên", "End session"),
    ("w_session_end_others", "Kết thúc mọi phiên khác", "End all other sessions"),
    ("w_must_change", "Mật khẩu này do người khác đặt (mật khẩu dùng một lần): hãy đổi mật khẩu trước khi dùng hệ thống.", "This password was set by someone else (a one-time password): change it before using the system."),
    ("w_read_only", "Báo cáo đã gửi nên chỉ xem; chỉ sửa được khi bị trả lại.", "The report has been submitted and is read-only; it can be edited again only if returned."),
    ("w_deadline", "Thời hạn", "Deadline"),
    ("w_lead", "chủ trì", "lead"),
    ("w_coord", "phối hợp", "coordinating"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_unique_and_both_languages_filled() {
        let mut keys: Vec<&str> = LABELS.iter().map(|(k, _, _)| *k).collect();
        keys.sort();
        let n = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), n, "duplicate label key");
        for (k, vi, en) in LABELS {
            assert!(!vi.is_empty() && !en.is_empty(), "{k}");
        }
        assert_eq!(Lang::Vi.t("nav_units"), "Đơn vị");
        assert_eq!(Lang::En.t("nav_units"), "Units");
    }
}
