"""What several test packages share: scratch databases and live servers."""
