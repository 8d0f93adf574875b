-- Dossiers are written to the table `dossier_rows` and read through the view `dossiers`, as on
-- SQLite (see its migration of the same name), so that both databases take the same SQL. Here
-- the days stay stored generated columns of the table; the view adds nothing.
ALTER TABLE dossiers RENAME TO dossier_rows;
CREATE VIEW dossiers AS SELECT * FROM dossier_rows;
