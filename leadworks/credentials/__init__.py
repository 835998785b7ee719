"""Certificates (Open Badges 3.0 credentials), the completion rule they certify, learners'
shared portfolios, and the counselors' job-readiness views (issue #17, items 4-6)."""
