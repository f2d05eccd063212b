"""What kata tests and topic conftests import: checks, strategies, data, services and their fixtures.

Everything here is for test authors: a kata test imports `from graders.kit.<module> import ...`, never
anything outside graders.kit (the pytest plugin reaches the tests through fixtures: `kata`, `kata_shared`).
"""
