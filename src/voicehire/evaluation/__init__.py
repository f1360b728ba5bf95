"""Post-interview evaluation: scorers, summary, recommendation and reports."""
