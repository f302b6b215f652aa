"""Typefaces for the world's scripts: which families a PDF edition sets each language in.

The Latin faces travel with the project (`styles/fonts/`); the faces of other scripts are
Debian's Noto families, installed by `make system` (`scripts/install-validators.sh`), and the
monochrome Noto Emoji is vendored. `table` says which face serves which script in a serif and
in a sans edition, `plan` picks those a book needs and orders them into font stacks.
"""
