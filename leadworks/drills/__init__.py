"""Drills: practice without a simulated market (course/drills/*.yaml), handed in as a table."""
