"""Rules: the rule format (model), its loader, and the compiler into match patterns (plan)."""
