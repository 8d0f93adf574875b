-- From the raw CSV table `raw` (every column text) to `d`: dates in either spec form to ISO
-- dates, booleans in every spelling to 0/1. Shared by DuckDB and SQLite.
CREATE TABLE d AS
SELECT ma_ho_so AS code, ma_tthc AS procedure_code, ma_don_vi AS unit_id, kenh_nop AS channel,
  CASE WHEN substr(ngay_tiep_nhan, 3, 1) = '/' THEN substr(ngay_tiep_nhan, 7, 4) || '-' || substr(ngay_tiep_nhan, 4, 2) || '-' || substr(ngay_tiep_nhan, 1, 2) ELSE substr(ngay_tiep_nhan, 1, 10) END AS received_on,
  CASE WHEN substr(han_tra, 3, 1) = '/' THEN substr(han_tra, 7, 4) || '-' || substr(han_tra, 4, 2) || '-' || substr(han_tra, 1, 2) ELSE substr(han_tra, 1, 10) END AS due_on,
  CASE WHEN ngay_tra IS NULL OR ngay_tra = '' THEN NULL WHEN substr(ngay_tra, 3, 1) = '/' THEN substr(ngay_tra, 7, 4) || '-' || substr(ngay_tra, 4, 2) || '-' || substr(ngay_tra, 1, 2) ELSE substr(ngay_tra, 1, 10) END AS returned_on,
  trang_thai AS status,
  CASE WHEN lower(so_hoa_ho_so) IN ('1', 'true', 'có', 'x') THEN 1 ELSE 0 END AS inputs_digitized,
  CASE WHEN lower(so_hoa_ket_qua) IN ('1', 'true', 'có', 'x') THEN 1 ELSE 0 END AS results_digitized,
  CASE WHEN lower(tai_su_dung) IN ('1', 'true', 'có', 'x') THEN 1 ELSE 0 END AS data_reused,
  CASE WHEN lower(da_thanh_toan_truc_tuyen) IN ('1', 'true', 'có', 'x') THEN 1 ELSE 0 END AS paid_online,
  CASE WHEN danh_gia = '' THEN NULL ELSE danh_gia END AS rating,
  CASE WHEN lower(xin_loi) IN ('1', 'true', 'có', 'x') THEN 1 ELSE 0 END AS apology
FROM raw;
