"""The career track's graded exercises: a CV and a LinkedIn profile built from the records."""
