"""HTML to PDF with WeasyPrint (the board pack, certificates, the annual report)."""

from __future__ import annotations


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf()
