"""The learner's loop behind `katas`: progress, `check`, `watch`, hints and their git helpers."""
