"""The yearly security analysis (bezpečnostní analýza) of a town or locality: its content
(:mod:`layers.analysis.content`), its maps and charts (:mod:`layers.analysis.figures`) and
its DOCX and PDF (:mod:`layers.analysis.writers`)."""
