"""Outputs for readers: text renderings, the report and its charts, the calendar."""
