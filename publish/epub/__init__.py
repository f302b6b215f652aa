"""The EPUB edition: content documents, navigation, print page-list, accessibility
metadata, and EbookLib packaging (`render`, the only module that imports it)."""
