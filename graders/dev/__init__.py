"""The maintainer's commands (`python -m graders dev ...`, `verify`, `mutate`, `bench`, `classroom`): they
check and generate the repository and are never imported by a test run or by the learner's CLI.
"""
