"""Root conftest: every kata runs under the graders plugin and shares its service fixtures."""

pytest_plugins = [
    "graders.plugin",
    "graders.kit.fixtures.s3",
    "graders.kit.fixtures.postgres",
    "graders.kit.fixtures.airflow",
]
