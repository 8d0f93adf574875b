"""DuckDB's side of the benchmark: read the dossier CSV, normalise it, compute every measure
for the year and its four quarters (all scopes). With --db FILE --answer-only, load into FILE
first (untimed) and then time only the five queries, in process."""
import sys, time, os, argparse
import duckdb

here = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser()
ap.add_argument('dossiers'); ap.add_argument('catalog'); ap.add_argument('units')
ap.add_argument('--year', default='2024'); ap.add_argument('--db', default=':memory:')
ap.add_argument('--answer-only', action='store_true')
a = ap.parse_args()

con = duckdb.connect(a.db)
def load():
    con.execute(f"CREATE OR REPLACE TABLE raw AS SELECT * FROM read_csv('{a.dossiers}', header=true, all_varchar=true)")
    con.execute("DROP TABLE IF EXISTS d")
    con.execute(open(os.path.join(here, 'normalise.sql')).read())
    con.execute("DROP TABLE raw")
    con.execute(f"CREATE OR REPLACE TABLE pc AS SELECT * FROM read_csv('{a.catalog}', header=true, all_varchar=true)")
    con.execute("""CREATE OR REPLACE TABLE p AS SELECT column0 AS code, column4 AS online_level,
        CASE WHEN lower(column5) IN ('1','true','có','x') THEN 1 ELSE 0 END AS has_fee
        FROM read_csv('%s', header=false, skip=1, all_varchar=true)""" % a.catalog)
    con.execute(f"CREATE OR REPLACE TABLE u AS SELECT * FROM read_csv('{a.units}', header=true, all_varchar=true)")

periods = [(f'{a.year}', f'{a.year}-01-01', f'{a.year}-12-31')] + [
    (f'{a.year}-Q{q}', f'{a.year}-{3*q-2:02d}-01', f'{a.year}-{3*q:02d}-' + ('31' if q in (1, 4) else '30')) for q in range(1, 5)]
sql = open(os.path.join(here, 'measures.sql')).read()

if a.answer_only:
    if not con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'd'").fetchone()[0]:
        load()
    t = time.perf_counter()
else:
    t = time.perf_counter()
    load()
rows = 0
for name, s, e in periods:
    rows += len(con.execute(sql.replace(':START', s).replace(':END', e)).fetchall())
elapsed = time.perf_counter() - t
n = con.execute("SELECT count(*) FROM d").fetchone()[0]
print(f"duckdb rows={n} result_rows={rows} seconds={elapsed:.3f}")
