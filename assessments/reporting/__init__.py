"""Reporting: radar charts, the PDF report and CSV exports."""
