"""Printed documents as PDF bytes (reportlab): forms, receipts, survey sheets, reports.

No Qt here: previewing and sending to a printer is the UI's job (``caseworker.ui.printing``).
Each builder takes plain data (``printing.data``) and a font chain (``printing.fonts``) and
returns a ``PrintResult`` with the bytes and the characters no font could draw.
"""
