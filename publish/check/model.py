"""What a check found: one record per problem, one per tool run, one per command."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ERROR = "error"
WARNING = "warning"

# Our own codes; validators' findings keep the validator's rule id (RSC-011, LNK-004...).
CODES = {
    "C001": "a validator is not installed",
    "C002": "a validator ran but gave no usable report",
    "C003": "no file here is named as an edition names its output",
    "P000": "a PDF edition has no structure tree to compare",
    "P001": "headings differ between editions",
    "P002": "alt texts differ between editions",
    "P003": "language spans differ between editions",
    "P004": "table header cells differ between editions",
    "P005": "notes differ between editions",
    "P006": "a PDF tags its notes as list items, not as notes",
    "P007": "a table is set as a list whose items repeat its header cells as labels",
    "P008": "a PDF's text lacks words of the book's text",
    "T001": "a PDF draws text beyond its page",
    "T002": "a PDF draws tagged text beyond its text block",
    "K001": "a page in the middle of a chapter is more than a quarter empty",
    "K002": "a PDF's body text sets a median measure outside 45-75 characters per line",
    "K003": "an ornament or scene break starts a page, apart from its text",
    "K004": "a blank or part-title page carries a running head or folio",
    "K005": "an EPUB's page-list, page-break markers and their print source do not match",
    "L001": "the large-print measurement found a problem",
    "L002": "the large-print measurement is not available",
    "B001": "a braille row is longer than the page's cells",
    "B002": "a braille page has more rows than the page's lines",
    "B003": "the PEF does not validate against the PEF 1.0 schema",
    "B004": "the braille's print page numbers differ from the print edition's pages",
    "B005": "back-translation gives back too few of the book's words",
    "B006": "the BRF holds other pages than the PEF",
    "B007": "the braille checks could not run",
    "S001": "a web edition page is missing or outside the previous/next reading order",
    "S002": "a link inside a web edition leads to no file or place of the site",
    "S003": "a web edition page loads something that is not a file of the site",
    "S004": "a web edition page has no language or not exactly one main landmark",
}


@dataclass(frozen=True)
class Issue:
    """One problem in one output file, from a validator or from our own checks."""

    file: str
    tool: str
    severity: str
    code: str
    message: str
    where: str = ""

    def line(self) -> str:
        """The issue as one terminal line."""
        where = f" ({self.where})" if self.where else ""
        return f"{self.file}: {self.severity}: [{self.tool} {self.code}] {self.message}{where}"


@dataclass
class Run:
    """One validator's run on one file: its version, time and issues."""

    tool: str
    file: str
    version: str = "unknown"
    seconds: float = 0.0
    issues: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the tool ran and reported no error."""
        return not any(issue.severity == ERROR for issue in self.issues)


@dataclass
class Report:
    """Everything one `publish check` found, for the terminal, JSON and HTML."""

    path: Path
    files: list[Path]
    runs: list[Run] = field(default_factory=list)
    thumbnails: dict[str, list[bytes]] = field(default_factory=dict)

    @property
    def issues(self) -> list[Issue]:
        """Every issue of every run, in run order."""
        return [issue for run in self.runs for issue in run.issues]

    @property
    def ok(self) -> bool:
        """Whether nothing reported an error: the exit status of the command."""
        return all(run.ok for run in self.runs)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form, for `--json` and the HTML report."""
        return {
            "path": str(self.path),
            "ok": self.ok,
            "files": [f.name for f in self.files],
            "runs": [
                {**{k: v for k, v in asdict(run).items() if k != "issues"}, "ok": run.ok,
                 "issues": [asdict(issue) for issue in run.issues]}
                for run in self.runs
            ],
        }
