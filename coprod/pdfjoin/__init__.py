"""One tagged PDF (PDF/UA-1) from tagged PDFs made one after another (``join``, ``Part``).

The joined file is written here, not by pikepdf (qpdf) or pypdf, because both hold every
object of the document they write in memory: joining the 1,000-organisation cohort
summary with them took its worker past the 1.5x memory target (bench/NOTES.md, note 24).
"""

from coprod.pdfjoin.document import Part, join

__all__ = ["Part", "join"]
