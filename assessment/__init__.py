"""Render a Community Safety Partnership Strategic Assessment as DOCX and PDF from data."""
