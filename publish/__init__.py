"""One accessible manuscript, three editions: tagged print PDF, EPUB 3 and large print."""

__version__ = "0.1.0"
