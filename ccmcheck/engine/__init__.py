"""The engine: matching (durable-rules or the reference matcher), deciding statuses,
and what follows from findings (changes, reconciliation, deadlines)."""
