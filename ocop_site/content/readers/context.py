"""What every reader shares: where the site's files are, how a path is shown in a
message, where errors go, and the one way a content file is read (through the content
cache when there is one)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, TypeVar

from ...base.inputs import ignored
from ...errors import ErrorCollector
from ...text import vietnamese
from ...text.frontmatter import Document, FrontMatterError, decode, parse_document, parse_yaml
from ...text.markdown import MarkdownRenderer, first_paragraph_text
from ..cache import ContentCache, ParsedDocument
from ..config import SiteConfig
from ..i18n import LANGUAGE_CODE
from ..safepath import UnsafePath, read_bounded

T = TypeVar("T")
MAX_DATA_BYTES = 5_000_000  # a national list of communes is ~2 MB
MAX_DATA_NODES = 1_000_000


@dataclass(frozen=True)
class ReadContext:
    """One reading of one site folder. The collector and the cache are the only things
    a reader changes; everything it returns is a frozen model."""

    root: Path  # the site folder: paths in messages are relative to it
    content: Path  # its content/ folder: photos must stay inside it
    languages: tuple[str, ...]  # the first is the language of the main files
    today: dt.date
    errors: ErrorCollector
    cache: ContentCache | None = None
    markdown: MarkdownRenderer = dataclasses.field(
        default_factory=MarkdownRenderer, repr=False, compare=False)
    # each folder's entries, listed once a reading: at 10,000 products the items, whether
    # each has a translation and the translations without an item, from one listing
    # rather than a stat a product and two globs
    _listings: dict[Path, dict[str, bool]] = dataclasses.field(
        default_factory=dict, repr=False, compare=False)

    @classmethod
    def of(cls, config: SiteConfig, errors: ErrorCollector,
           cache: ContentCache | None = None) -> ReadContext:
        return cls(config.source, config.content_dir, tuple(config.languages),
                   config.today, errors, cache)

    def shown(self, path: Path) -> str:
        """Path as shown in messages: relative to the site folder, with / separators."""
        written, root = str(path), str(self.root) + os.sep
        if written.startswith(root) and os.sep == "/":  # the common case, without pathlib
            return written[len(root):]
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def error_count(self) -> int:
        """For 'did this item add an error?': compare before and after reading it."""
        return len(self.errors.errors)

    def reported(self, shown: str, read: Callable[[], T]) -> T | None:
        """read(), or None with its FrontMatterError or UnsafePath reported for `shown`."""
        try:
            return read()
        except FrontMatterError as exc:
            self.errors.extend([exc.to_error(shown)])
        except UnsafePath as exc:
            self.errors.add(shown, 0, "file", exc.en, exc.vi)
        return None

    def read_document(self, path: Path) -> Document | None:
        """A content file's front-matter and body (None, reported, if it cannot be read)."""
        cache = self.cache

        def read() -> Document:
            if cache is not None:
                return cache.read(path, self.root)
            return parse_document(read_bounded(path, self.root))
        return self.reported(self.shown(path), read)

    def read_data(self, name: str) -> tuple[Any, dict, str] | None:
        """content/data/<name> as YAML: (values, line of each key, path as shown)."""
        path = self.content / "data" / name
        shown = self.shown(path)
        if not path.is_file():
            self.errors.add(shown, 0, "file", f"data file {shown} is missing",
                            f"thiếu tệp dữ liệu {shown}")
            return None
        parsed = self.reported(shown, lambda: parse_yaml(
            decode(read_bounded(path, self.root, MAX_DATA_BYTES)), max_nodes=MAX_DATA_NODES))
        if parsed is None:
            return None
        data, lines = parsed
        return data, lines, shown

    def body_html(self, doc: Document) -> str:
        """The body as sanitised HTML (already made when the document came from the cache)."""
        if isinstance(doc, ParsedDocument):
            return doc.body_html
        return self.markdown.render(doc.body)

    def first_paragraph(self, doc: Document, body_html: str) -> str:
        """The text of the body's first paragraph, a summary's default (kept with the
        HTML when the document came from the cache)."""
        if isinstance(doc, ParsedDocument):
            return doc.first_paragraph
        return first_paragraph_text(body_html)

    def listing(self, directory: Path) -> dict[str, bool]:
        """Every entry of `directory` by name → whether it is a file or a symlink (one
        a reader may open, or report); {} when it is no folder. Listed once a reading."""
        found = self._listings.get(directory)
        if found is None:
            try:
                with os.scandir(directory) as entries:
                    found = {entry.name: entry.is_file() or entry.is_symlink()
                             for entry in entries}
            except OSError:
                found = {}
            self._listings[directory] = found
        return found

    def readable(self, path: Path) -> bool:
        """`path.is_file() or path.is_symlink()`, from its folder's listing."""
        return self.listing(path.parent).get(path.name, False)

    def markdown_names(self, directory: Path) -> list[str]:
        """The .md entries of `directory` without hidden files, by name."""
        return sorted(name for name in self.listing(directory)
                      if name.endswith(".md") and not ignored(name))

    def markdown_files(self, folder: str) -> list[Path]:
        """The items of content/<folder>/: its .md files, without hidden files and
        translations, by name."""
        directory = self.content / folder
        return [directory / name for name in self.markdown_names(directory)
                if translation_lang(Path(name)) is None]


def file_id(path: Path) -> str:
    """The id a file name gives (producers, events, a product named by its file)."""
    return vietnamese.slugify(vietnamese.nfc(path.stem))


def translation_lang(path: Path) -> str | None:
    """'che-xanh.en.md' → 'en': the file is a translation, not an item of its own."""
    lang = Path(path.stem).suffix[1:]
    return lang if LANGUAGE_CODE.match(lang) else None
