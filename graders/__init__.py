"""ds-katas graders: the pytest plugin, the implementation switch, verify, grade and bench."""

__version__ = "0.1.0"
