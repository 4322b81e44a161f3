"""The ladder plan: the company's policy applied to its receivables, per customer."""
