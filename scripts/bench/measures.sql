-- Every dossier measure of spec/service-data.md for one period and the scopes all / huyen /
-- xa, over a table `d` of normalised dossiers (received_on, returned_on, due_on as ISO dates,
-- flags 0/1) joined to `p` (procedures) and `u` (units with their level). :START and :END are
-- replaced by the runner. Written in the SQL both DuckDB and SQLite accept.
WITH x AS (
  SELECT u.level AS level,
         d.status <> 'rut' AS pop,
         d.status = 'da_tra' AS ret,
         d.results_digitized = 1 AS res_dig,
         d.inputs_digitized = 1 AS in_dig,
         d.channel = 'truc_tuyen' AS online,
         p.online_level IN ('toan_trinh', 'mot_phan') AS some_online,
         p.online_level = 'toan_trinh' AS full_online,
         d.data_reused = 1 AS reused,
         p.has_fee = 1 AS fee,
         d.paid_online = 1 AS paid,
         d.rating IS NOT NULL AS rated,
         d.rating IN ('rat_hai_long', 'hai_long') AS satisfied,
         d.status IN ('da_tra', 'tu_choi') AND d.returned_on IS NOT NULL AS decided,
         d.returned_on <= d.due_on AS on_time,
         d.apology = 1 AS apology
  FROM d JOIN p ON p.code = d.procedure_code JOIN u ON u.id = d.unit_id
  WHERE d.received_on >= ':START' AND d.received_on <= ':END'
), s AS (
  SELECT 'all' AS scope, * FROM x
  UNION ALL SELECT level AS scope, * FROM x
)
SELECT scope,
  SUM(CASE WHEN pop AND ret AND res_dig THEN 1 ELSE 0 END) AS results_num,
  SUM(CASE WHEN pop AND ret THEN 1 ELSE 0 END) AS results_den,
  SUM(CASE WHEN pop AND in_dig THEN 1 ELSE 0 END) AS inputs_num,
  SUM(CASE WHEN pop THEN 1 ELSE 0 END) AS pop_den,
  SUM(CASE WHEN pop AND some_online AND online THEN 1 ELSE 0 END) AS online_num,
  SUM(CASE WHEN pop AND some_online THEN 1 ELSE 0 END) AS online_den,
  SUM(CASE WHEN pop AND full_online AND online THEN 1 ELSE 0 END) AS full_num,
  SUM(CASE WHEN pop AND full_online THEN 1 ELSE 0 END) AS full_den,
  SUM(CASE WHEN pop AND reused THEN 1 ELSE 0 END) AS reuse_num,
  SUM(CASE WHEN pop AND fee AND paid THEN 1 ELSE 0 END) AS pay_num,
  SUM(CASE WHEN pop AND fee THEN 1 ELSE 0 END) AS pay_den,
  SUM(CASE WHEN pop AND satisfied THEN 1 ELSE 0 END) AS sat_num,
  SUM(CASE WHEN pop AND rated THEN 1 ELSE 0 END) AS sat_den,
  SUM(CASE WHEN pop AND decided AND on_time THEN 1 ELSE 0 END) AS ontime_num,
  SUM(CASE WHEN pop AND decided THEN 1 ELSE 0 END) AS ontime_den,
  SUM(CASE WHEN pop AND decided AND NOT on_time AND apology THEN 1 ELSE 0 END) AS apology_num,
  SUM(CASE WHEN pop AND decided AND NOT on_time THEN 1 ELSE 0 END) AS apology_den
FROM s GROUP BY scope ORDER BY scope;
