"""Briefing drafts: sections of evidence, their leads, footnotes, and the Markdown and
DOCX exports."""
