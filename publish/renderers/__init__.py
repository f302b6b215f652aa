"""Renderers: Book -> bytes, one module per output format."""
