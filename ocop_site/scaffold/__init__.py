"""`new product|producer|event`: the questions, each beside the check of its answer, and the
file written at the end."""
