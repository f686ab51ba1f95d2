"""ROUGE for summaries and the random-weight test model (fact scoring lives in the top-level
`evaluation` package, which is not shipped)."""
