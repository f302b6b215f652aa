"""The PDF editions: WeasyPrint behind one engine module (`engine`), the PDF/UA repair
(`repair/`), incremental layout (`incremental/`) and the edition renderer (`render`)."""
