-- Legal holds per matter (ADR 029 addendum): several matters (two court cases, a tax audit)
-- may hold one dossier at once, each released on its own; the dossier stays held while any
-- matter's last record is a hold. Holds recorded before this migration named no matter: ''.
-- Adding a column with a constant default rewrites no row, so the append-only trigger on
-- dossier_holds is not asked.
ALTER TABLE dossier_holds ADD COLUMN matter text NOT NULL DEFAULT '' CHECK (length(matter) <= 100 AND matter = btrim(matter));
