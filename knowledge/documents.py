"""The policy corpus: Markdown documents with front matter, read from `knowledge/corpus/`."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import frontmatter

from knowledge.errors import MalformedDocument

CORPUS_DIR = Path(__file__).with_name("corpus")
# the team's English rendering of each document, under the same file names
ENGLISH_DIR = "en"
REQUIRED_FIELDS = ("title", "region", "source", "effective_date")


@dataclass(frozen=True, slots=True)
class PolicyDocument:
    """One policy document; `body` still holds its `{{parameter}}` placeholders."""

    doc_id: str
    title: str
    region: str
    source: str
    effective_date: str
    body: str
    # what a resident can do next, added to answers to "can I" questions
    next_step: str = ""
    # the names of the programme the document is about (低保, 特困): a question naming none of them is
    # about the application this assistant takes, not about this programme
    programme: tuple[str, ...] = ()


def read_document(path: Path) -> PolicyDocument:
    """Read one Markdown file; the file name without `.md` is the document id."""
    post = frontmatter.loads(path.read_text(encoding="utf-8"))
    missing = [name for name in REQUIRED_FIELDS if not post.metadata.get(name)]
    if missing:
        raise MalformedDocument(path.name, f"front matter lacks {', '.join(missing)}")
    effective = post.metadata["effective_date"]
    # YAML reads an unquoted date as a date object; the corpus speaks ISO strings
    if isinstance(effective, dt.date):
        effective = effective.isoformat()
    return PolicyDocument(
        doc_id=path.stem,
        title=str(post.metadata["title"]),
        region=str(post.metadata["region"]),
        source=str(post.metadata["source"]),
        effective_date=str(effective),
        body=post.content,
        next_step=str(post.metadata.get("next_step") or ""),
        programme=tuple(str(name) for name in post.metadata.get("programme") or ()),
    )


def load_corpus(directory: str | Path | None = None) -> list[PolicyDocument]:
    """Every `*.md` document of a corpus directory (the packaged corpus by default), by file name."""
    root = Path(directory) if directory else CORPUS_DIR
    return [read_document(path) for path in sorted(root.glob("*.md"))]


def corpus_files(directory: str | Path | None = None) -> list[Path]:
    """The document files of a corpus directory, for change detection."""
    return sorted((Path(directory) if directory else CORPUS_DIR).glob("*.md"))
