"""Incremental layout: chunks laid out as pages become known, unchanged divisions reused,
changed ones spliced into the previous PDF, and the record that makes it possible."""
