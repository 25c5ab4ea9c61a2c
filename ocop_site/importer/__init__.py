"""`import FILE`: a province's spreadsheet (a decision's attached list, or the running
list officials keep) → product and producer files, one stage per module:

    reading (xlsx.py, csvfile.py) → headers → rows → plan (resolve, producers, editing)
    → writing; command.py is the CLI's side.

Everything up to the plan only reads; writing happens only with --write, and the
checker runs on the result.
"""
