"""Caseworker: enrolment, receipts and sync for township social-security service centres."""

__version__ = "0.1.0"
