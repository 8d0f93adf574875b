-- Dossiers are written to the table `dossier_rows` and read through the view `dossiers`, which
-- adds the days (`received_on`, `due_on`, `returned_on`) computed from the times.
--
-- As virtual generated columns of the table, the days made SQLite open a statement journal for
-- every multi-row insert (computing a generated column may fail midway), which copied each
-- B-tree page the insert touched to a temporary file: half a million small writes for a
-- million dossiers. A view computes them on reading as the virtual columns did. Dropping a
-- virtual column rewrites no row, so this upgrade takes no time on a large table.
ALTER TABLE dossiers RENAME TO dossier_rows;
ALTER TABLE dossier_rows DROP COLUMN received_on;
ALTER TABLE dossier_rows DROP COLUMN due_on;
ALTER TABLE dossier_rows DROP COLUMN returned_on;
CREATE VIEW dossiers AS
SELECT id, code, procedure_code, unit_id, channel,
       received_at, substr(received_at, 1, 10) AS received_on, received_month,
       due_at, substr(due_at, 1, 10) AS due_on,
       returned_at, substr(returned_at, 1, 10) AS returned_on,
       status, inputs_digitized, results_digitized, data_reused, paid_online, rating,
       apology, import_id, import_row
FROM dossier_rows;
