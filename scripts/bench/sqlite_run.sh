#!/usr/bin/env bash
# The sqlite3 shell's side: import the CSV, normalise, compute every measure for the year and
# its four quarters. Usage: sqlite_run.sh DOSSIERS CATALOG UNITS DBFILE YEAR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dos="$1" cat="$2" units="$3" db="$4" y="${5:-2024}"
rm -f "$db"
{
  echo "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
  echo "CREATE TABLE raw (ma_ho_so, ma_tthc, ma_don_vi, kenh_nop, ngay_tiep_nhan, han_tra, ngay_tra, trang_thai, so_hoa_ho_so, so_hoa_ket_qua, tai_su_dung, da_thanh_toan_truc_tuyen, danh_gia, xin_loi);"
  echo ".import --csv --skip 1 $dos raw"
  cat "$here/normalise.sql"
  echo "DROP TABLE raw;"
  echo "CREATE TABLE pc (code, name, field, levels, online_level, fee, pay, internal);"
  echo ".import --csv --skip 1 $cat pc"
  echo "CREATE TABLE p AS SELECT code, online_level, CASE WHEN lower(fee) IN ('1','true','có','x') THEN 1 ELSE 0 END AS has_fee FROM pc;"
  echo "CREATE TABLE u (id, level);"
  echo ".import --csv --skip 1 $units u"
  for p in "$y-01-01 $y-12-31" "$y-01-01 $y-03-31" "$y-04-01 $y-06-30" "$y-07-01 $y-09-30" "$y-10-01 $y-12-31"; do
    set -- $p
    sed -e "s/:START/$1/" -e "s/:END/$2/" "$here/measures.sql"
  done
} | sqlite3 "$db" > /dev/null
