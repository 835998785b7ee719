"""Checkpoints and the final exam: drawn per learner, graded on the server, every attempt kept."""
