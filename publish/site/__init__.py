"""The web edition: the book as a static site of HTML pages, readable from a folder."""
