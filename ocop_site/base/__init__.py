"""What every stage leans on, and nothing else: one file written safely, the one worker
pool, child processes for system calls, the walk of a build's inputs, the code's
version."""
