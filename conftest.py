"""Root conftest: every kata runs under the graders plugin and shares its service fixtures."""

pytest_plugins = [
    "graders.plugin",
    "graders.fixtures.s3",
    "graders.fixtures.postgres",
    "graders.fixtures.airflow",
]
