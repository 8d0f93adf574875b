//! A sample quarterly reform report of Đức Thọ district, for looking at the layout and as a
//! pattern for the report assembly: `cargo run -p cchc-docs --example sample_report -- OUT.docx`.
//!
//! The figures are invented; the structure is the one the district sends to the province.

use std::time::Instant;

use cchc_docs::docx::{write_docx, Appendix, Block, Cell, OfficialDocument, Run, Signer, Table};

fn main() {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "bao-cao-mau.docx".to_string());
    let started = Instant::now();
    let doc = sample();
    let bytes = write_docx(&doc).expect("the sample report");
    let took = started.elapsed();
    std::fs::write(&out, &bytes).unwrap_or_else(|e| panic!("{out}: {e}"));
    eprintln!(
        "{out}: {} bytes, built and written in {:.1} ms",
        bytes.len(),
        took.as_secs_f64() * 1000.0
    );
}

fn area(blocks: &mut Vec<Block>, heading: &str, done: &[&str], figures: &[&str]) {
    blocks.push(Block::heading(2, heading));
    for d in done {
        blocks.push(Block::bullet(*d));
    }
    for f in figures {
        blocks.push(Block::para(*f));
    }
}

fn sample() -> OfficialDocument {
    let mut body = vec![
        Block::para(
            "Thực hiện Kế hoạch số 60/KH-UBND ngày 11/01/2024 của UBND huyện về cải cách hành \
             chính năm 2024 và Công văn số 1025/SNV-CCHC ngày 05/6/2024 của Sở Nội vụ về việc \
             báo cáo công tác cải cách hành chính định kỳ, UBND huyện Đức Thọ báo cáo kết quả \
             thực hiện công tác cải cách hành chính (CCHC) quý II năm 2024 như sau:",
        ),
        Block::heading(1, "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH"),
        Block::heading(2, "1. Về kế hoạch cải cách hành chính"),
        Block::para(
            "UBND huyện đã ban hành Quyết định số 60/QĐ-UBND ngày 11/01/2024 về Kế hoạch CCHC \
             năm 2024 với 7 lĩnh vực, 42 nhiệm vụ và 118 hoạt động cụ thể; giao Phòng Nội vụ là \
             cơ quan thường trực theo dõi, đôn đốc các cơ quan, đơn vị, UBND các xã, thị trấn \
             triển khai thực hiện. Đến hết quý II, 22/22 cơ quan, đơn vị và 16/16 xã, thị trấn đã \
             ban hành kế hoạch CCHC của đơn vị mình (đạt 100%).",
        ),
        Block::heading(2, "2. Về công tác kiểm tra cải cách hành chính"),
        Block::Paragraph(vec![
            Run::plain("Trong quý, Đoàn kiểm tra CCHC của huyện đã kiểm tra tại "),
            Run::bold("06 xã"),
            Run::plain(" và "),
            Run::bold("03 cơ quan chuyên môn"),
            Run::plain(
                " theo Kế hoạch số 112/KH-UBND ngày 12/3/2024; qua kiểm tra đã chỉ ra 14 tồn tại, \
                 hạn chế và yêu cầu các đơn vị khắc phục, báo cáo kết quả trước ngày 30/7/2024 ",
            ),
            Run::italic("(chi tiết tại Phụ lục I kèm theo)"),
            Run::plain("."),
        ]),
        Block::heading(2, "3. Về công tác thông tin, tuyên truyền"),
        Block::para(
            "Trung tâm Văn hóa - Truyền thông huyện đã đăng tải 27 tin, bài về CCHC trên Trang \
             thông tin điện tử huyện và hệ thống loa truyền thanh cơ sở; tổ chức 01 cuộc thi tìm \
             hiểu về CCHC trực tuyến với 3.412 lượt người tham gia.",
        ),
        Block::heading(1, "II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH"),
    ];
    area(
        &mut body,
        "1. Cải cách thể chế",
        &[
            "Ban hành 02 văn bản quy phạm pháp luật, bảo đảm đúng trình tự, thủ tục theo quy định \
             của Luật Ban hành văn bản quy phạm pháp luật.",
            "Rà soát 36 văn bản do HĐND, UBND huyện ban hành; kiến nghị bãi bỏ 03 văn bản không \
             còn phù hợp (Báo cáo số 145/BC-PTP ngày 20/5/2024 của Phòng Tư pháp).",
        ],
        &[],
    );
    area(
        &mut body,
        "2. Cải cách thủ tục hành chính",
        &[
            "Công khai đầy đủ 1.732 thủ tục hành chính (TTHC) tại Trung tâm Phục vụ hành chính công \
             huyện và Bộ phận Một cửa cấp xã.",
            "Tiếp nhận 8.965 hồ sơ, đã giải quyết 8.871 hồ sơ, trong đó đúng và trước hạn 8.859 hồ \
             sơ (đạt 99,86%), quá hạn 12 hồ sơ; đã có văn bản xin lỗi đối với 12/12 hồ sơ quá hạn.",
            "Tỷ lệ hồ sơ trực tuyến toàn trình đạt 62,4% (chỉ tiêu tối thiểu 50%); tỷ lệ số hóa hồ \
             sơ, kết quả giải quyết TTHC đạt 78,1% (chỉ tiêu tối thiểu 80%, chưa đạt).",
        ],
        &[],
    );
    area(
        &mut body,
        "3. Cải cách tổ chức bộ máy hành chính nhà nước",
        &[
            "Tiếp tục rà soát, sắp xếp các đơn vị sự nghiệp công lập theo Nghị quyết số 19-NQ/TW; \
           trong quý đã giảm 07 biên chế so với năm 2023 (chỉ tiêu giảm 14 biên chế trong năm).",
        ],
        &[],
    );
    area(
        &mut body,
        "4. Cải cách chế độ công vụ",
        &[
            "Thực hiện đúng quy định về tuyển dụng, sử dụng, quản lý công chức, viên chức; cử 46 \
           lượt cán bộ, công chức tham gia bồi dưỡng chuyên môn, nghiệp vụ.",
        ],
        &[],
    );
    area(
        &mut body,
        "5. Cải cách tài chính công",
        &["Giải ngân vốn đầu tư công đến ngày 15/6/2024 đạt 41,2% kế hoạch; 100% đơn vị sự nghiệp \
           công lập thực hiện cơ chế tự chủ theo Nghị định số 60/2021/NĐ-CP."],
        &[],
    );
    area(
        &mut body,
        "6. Xây dựng chính quyền điện tử, chính quyền số",
        &[
            "100% văn bản đi của cơ quan hành chính cấp huyện, cấp xã (trừ văn bản mật) được gửi \
             dưới dạng điện tử, ký số; 96,7% hồ sơ công việc cấp huyện được xử lý trên môi trường \
             mạng.",
            "Duy trì áp dụng Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO \
             9001:2015 tại 22/22 cơ quan, đơn vị và 16/16 xã, thị trấn.",
        ],
        &[],
    );
    body.push(Block::heading(
        2,
        "7. Tình hình gửi báo cáo định kỳ của các cơ quan, đơn vị",
    ));
    body.push(Block::Centered(vec![Run::bold(
        "Bảng 1. Tình hình gửi báo cáo CCHC quý II năm 2024",
    )]));
    body.push(Block::Table(timeliness_table()));
    body.extend([
        Block::heading(1, "III. ĐÁNH GIÁ CHUNG"),
        Block::heading(2, "1. Ưu điểm"),
        Block::para(
            "Công tác CCHC được cấp ủy, chính quyền quan tâm chỉ đạo; các nhiệm vụ theo kế hoạch \
             cơ bản được triển khai đúng tiến độ; chất lượng giải quyết TTHC tiếp tục được nâng \
             lên, mức độ hài lòng của người dân, tổ chức đạt 98,2%.",
        ),
        Block::heading(2, "2. Tồn tại, hạn chế và nguyên nhân"),
        Block::bullet(
            "Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC tại một số xã còn thấp do thiếu thiết bị \
             và nhân lực làm công tác một cửa kiêm nhiệm nhiều việc.",
        ),
        Block::bullet(
            "Một số cơ quan, đơn vị gửi báo cáo định kỳ chậm so với thời hạn (04 đơn vị), nội dung \
             báo cáo còn chung chung, thiếu số liệu minh chứng.",
        ),
        Block::heading(1, "IV. NHIỆM VỤ TRỌNG TÂM QUÝ III NĂM 2024"),
        Block::bullet(
            "Tập trung thực hiện các nhiệm vụ CCHC còn chậm tiến độ, nhất là số hóa hồ sơ, kết quả \
             giải quyết TTHC; phấn đấu đạt chỉ tiêu tối thiểu 80% trước ngày 30/9/2024.",
        ),
        Block::bullet(
            "Tổ chức kiểm tra CCHC tại 05 xã còn lại theo kế hoạch; đôn đốc khắc phục tồn tại sau \
             kiểm tra.",
        ),
        Block::heading(1, "V. ĐỀ XUẤT, KIẾN NGHỊ"),
        Block::para(
            "Đề nghị Sở Nội vụ, Sở Thông tin và Truyền thông quan tâm hỗ trợ kinh phí, thiết bị \
             số hóa cho Bộ phận Một cửa cấp xã; tổ chức tập huấn nghiệp vụ số hóa hồ sơ cho công \
             chức làm công tác một cửa.",
        ),
        Block::para(
            "Trên đây là báo cáo kết quả thực hiện công tác CCHC quý II năm 2024 của UBND huyện \
             Đức Thọ./.",
        ),
    ]);

    OfficialDocument {
        issuer_parent: Some("UBND tỉnh Hà Tĩnh".into()),
        issuer: "Ủy ban nhân dân\nhuyện Đức Thọ".into(),
        number: "        /BC-UBND".into(),
        place_date: "Đức Thọ, ngày      tháng 6 năm 2024".into(),
        kind_title: "Báo cáo".into(),
        title: "Kết quả thực hiện công tác cải cách hành chính\nquý II năm 2024".into(),
        body,
        recipients: vec![
            "Sở Nội vụ tỉnh Hà Tĩnh".into(),
            "TT Huyện ủy, TT HĐND huyện".into(),
            "Chủ tịch, các PCT UBND huyện".into(),
            "Các cơ quan, đơn vị thuộc UBND huyện".into(),
            "UBND các xã, thị trấn".into(),
            "Lưu: VT, NV".into(),
        ],
        signer: Signer {
            authority: Some("TM. Ủy ban nhân dân".into()),
            title: "KT. Chủ tịch\nPhó Chủ tịch".into(),
            name: "Nguyễn Văn An".into(),
        },
        appendices: vec![Appendix {
            label: "Phụ lục I".into(),
            title: "KẾT QUẢ THỰC HIỆN CÁC HOẠT ĐỘNG CẢI CÁCH HÀNH CHÍNH QUÝ II NĂM 2024".into(),
            note: Some(
                "(Kèm theo Báo cáo số        /BC-UBND ngày      /6/2024 của UBND huyện Đức Thọ)"
                    .into(),
            ),
            landscape: true,
            body: vec![Block::Table(activity_table())],
        }],
    }
}

fn timeliness_table() -> Table {
    let mut t = Table::new(vec![6, 40, 14, 14, 14, 18]);
    t.header = vec![
        vec![
            Cell::bold("TT").rows(2),
            Cell::bold("Cơ quan, đơn vị").rows(2),
            Cell::bold("Báo cáo quý II").span(3),
            Cell::bold("Ghi chú").rows(2),
        ],
        vec![
            Cell::bold("Đúng hạn"),
            Cell::bold("Trễ hạn"),
            Cell::bold("Chưa gửi"),
        ],
    ];
    let units = [
        ("Văn phòng HĐND và UBND huyện", "x", "", "", ""),
        ("Phòng Nội vụ", "x", "", "", ""),
        ("Phòng Tư pháp", "x", "", "", ""),
        ("Phòng Tài chính - Kế hoạch", "", "x", "", "Trễ 3 ngày"),
        ("Phòng Văn hóa và Thông tin", "x", "", "", ""),
        ("Trung tâm Phục vụ hành chính công huyện", "x", "", "", ""),
        ("Thị trấn Đức Thọ", "x", "", "", ""),
        ("Xã Tùng Ảnh", "", "x", "", "Trễ 5 ngày"),
        ("Xã Hòa Lạc", "x", "", "", ""),
        ("Xã Tân Dân", "", "", "x", ""),
        ("Xã Đức Lạng", "x", "", "", ""),
        ("Xã Quang Vĩnh", "", "x", "", "Trễ 2 ngày"),
    ];
    for (i, (name, on_time, late, missing, note)) in units.iter().enumerate() {
        t.rows.push(vec![
            Cell::center((i + 1).to_string()),
            Cell::text(*name),
            Cell::center(*on_time),
            Cell::center(*late),
            Cell::center(*missing),
            Cell::text(*note),
        ]);
    }
    t.rows.push(vec![
        Cell::bold("Tổng cộng").span(2),
        Cell::bold("8"),
        Cell::bold("3"),
        Cell::bold("1"),
        Cell::text(""),
    ]);
    t
}

fn activity_table() -> Table {
    let mut t = Table::new(vec![10, 58, 28, 23, 16, 17, 40]);
    t.header = vec![vec![
        Cell::bold("Mã"),
        Cell::bold("Hoạt động"),
        Cell::bold("Chủ trì"),
        Cell::bold("Thời gian hoàn thành"),
        Cell::bold("Trạng thái"),
        Cell::bold("Ngày hoàn thành"),
        Cell::bold("Kết quả, sản phẩm (văn bản minh chứng)"),
    ]];
    let rows = [
        (
            "I.1.1",
            "Xây dựng, ban hành Kế hoạch CCHC năm 2024",
            "Phòng Nội vụ",
            "Trước 15/01/2024",
            "Hoàn thành",
            "11/01/2024",
            "Quyết định số 60/QĐ-UBND ngày 11/01/2024",
        ),
        (
            "I.1.2",
            "Ban hành kế hoạch kiểm tra CCHC năm 2024",
            "Phòng Nội vụ",
            "Quý I/2024",
            "Hoàn thành",
            "12/3/2024",
            "Kế hoạch số 112/KH-UBND ngày 12/3/2024",
        ),
        (
            "I.2.1",
            "Kiểm tra công tác CCHC tại các xã, thị trấn và cơ quan chuyên môn",
            "Phòng Nội vụ",
            "Quý II, III/2024",
            "Đang thực hiện",
            "",
            "Đã kiểm tra 06 xã, 03 cơ quan",
        ),
        (
            "II.1.3",
            "Rà soát, hệ thống hóa văn bản QPPL do HĐND, UBND huyện ban hành",
            "Phòng Tư pháp",
            "Trước 30/5/2024",
            "Hoàn thành",
            "20/5/2024",
            "Báo cáo số 145/BC-PTP ngày 20/5/2024",
        ),
        (
            "III.2.4",
            "Số hóa hồ sơ, kết quả giải quyết TTHC đạt tối thiểu 80%",
            "Trung tâm Phục vụ hành chính công huyện",
            "Thường xuyên",
            "Chậm tiến độ",
            "",
            "Đạt 78,1%; thiếu thiết bị số hóa tại 5 xã",
        ),
        (
            "III.3.1",
            "Công khai TTHC & cập nhật cơ sở dữ liệu <Cổng dịch vụ công>",
            "Văn phòng HĐND và UBND huyện",
            "Thường xuyên",
            "Hoàn thành",
            "",
            "1.732 TTHC được công khai",
        ),
        (
            "VII.2.1",
            "Duy trì, cải tiến Hệ thống quản lý chất lượng TCVN ISO 9001:2015",
            "Văn phòng HĐND và UBND huyện",
            "Quý IV/2024",
            "Chưa đến hạn",
            "",
            "",
        ),
    ];
    for (code, text, lead, deadline, status, done, evidence) in rows {
        t.rows.push(vec![
            Cell::center(code),
            Cell::text(text),
            Cell::text(lead),
            Cell::center(deadline),
            Cell::center(status),
            Cell::center(done),
            Cell::text(evidence),
        ]);
    }
    t
}
