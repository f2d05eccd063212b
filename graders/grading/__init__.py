"""Grading: `graders grade` and `grade-class` score submissions in isolated, bounded runs, and report."""
