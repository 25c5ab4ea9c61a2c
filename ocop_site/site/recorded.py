"""What a page looks up while it is rendered, recorded so the output cache can check it.

A page's given values (its `Page` and the site-wide values) are digested before it is
rendered (pipeline/fingerprint.py). Three things are looked up only during the render, by name:
the templates it extends and includes, the interface strings it asks for (`t('key')`),
and which language a shown name is in (`text_lang`). Like Lektor's dependency records,
each render notes them in a `Reads`; the cache keeps them beside the page, and a later
build takes the cached page only if every recorded lookup still gives what it gave
(`ReadResolver.values_digest`). Editing `partials/stars.html` re-renders the pages that
include it; editing one interface string, the pages that show it.

Reads are small and repeat: every product page of a language reads the same templates
and strings, so a recorded set is stored once and pages point at it (`readset_id`).
"""
from __future__ import annotations

import contextvars
import hashlib
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Mapping, MutableMapping

import jinja2

from ..content.i18n import PLURAL_FORMS, Translator

# ('template', name) | ('string', lang, key) | ('text', lang, kind, id, name)
Read = tuple[str, ...]

_current: contextvars.ContextVar["Reads | None"] = contextvars.ContextVar(
    "ocop_site_reads", default=None)


@dataclass
class Reads:
    """The lookups of one render (mutable while it runs, then frozen with `key()`)."""

    items: set[Read] = field(default_factory=set)

    def add(self, item: Read) -> None:
        self.items.add(item)

    def update(self, items: Iterable[Read]) -> None:
        self.items.update(items)

    def frozen(self) -> tuple[Read, ...]:
        return tuple(sorted(self.items))


def recording(reads: Reads) -> "_Recording":
    """`with recording(reads): template.render(...)`: lookups made inside go to `reads`."""
    return _Recording(reads)


class _Recording:
    def __init__(self, reads: Reads):
        self.reads = reads
        self.token: contextvars.Token | None = None

    def __enter__(self) -> Reads:
        self.token = _current.set(self.reads)
        return self.reads

    def __exit__(self, *exc: object) -> None:
        assert self.token is not None
        _current.reset(self.token)


def note(item: Read) -> None:
    """Record a lookup in the render running in this thread (if any)."""
    reads = _current.get()
    if reads is not None:
        reads.items.add(item)


def note_all(items: Iterable[Read]) -> None:
    """Record many lookups at once (a fragment's, replayed on every page showing it)."""
    reads = _current.get()
    if reads is not None:
        reads.items.update(items)


class RecordingEnvironment(jinja2.Environment):
    """A Jinja environment that notes every template a render loads (`extends`,
    `include` and the card fragment all go through `get_template`)."""

    def get_template(self, name: Any, parent: str | None = None,
                     globals: MutableMapping[str, Any] | None = None) -> jinja2.Template:
        template = super().get_template(name, parent, globals)
        if isinstance(name, str):
            note(("template", template.name or name))
        return template


class ReadResolver:
    """What each recorded lookup gives now: template sources, interface strings, and the
    language of shown texts. Values are computed once per build and remembered."""

    def __init__(self, environment: jinja2.Environment,
                 translators: Mapping[str, Translator],
                 text_lang: Callable[[str, str, str, str], str]):
        self.environment = environment
        self.translators = translators
        self.text_lang = text_lang
        self._values: dict[Read, str] = {}
        self._sets: dict[str, bytes] = {}

    def value(self, read: Read) -> str:
        found = self._values.get(read)
        if found is None:
            found = self._values[read] = self._resolve(read)
        return found

    def _resolve(self, read: Read) -> str:
        kind = read[0]
        if kind == "template":
            try:
                source, filename, _ = self.environment.loader.get_source(  # type: ignore[union-attr]
                    self.environment, read[1])
            except jinja2.TemplateNotFound:
                return "-"
            return hashlib.blake2b(f"{filename}\0{source}".encode("utf-8", "surrogatepass"),
                                   digest_size=12).hexdigest()
        if kind == "string":
            translator = self.translators.get(read[1])
            return _string_forms(translator, read[2]) if translator is not None else "-"
        if kind == "text":
            return self.text_lang(*read[1:])
        return "?"

    def values_digest(self, readset_id: str, reads: tuple[Read, ...]) -> bytes:
        """Digest of what every lookup of a recorded set gives now."""
        found = self._sets.get(readset_id)
        if found is None:
            joined = "".join(self.value(read) + "\0" for read in reads)
            found = self._sets[readset_id] = hashlib.blake2b(
                joined.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        return found


def readset_id(reads: tuple[Read, ...]) -> str:
    """The name a recorded set is stored under (the same set, the same name)."""
    digest = hashlib.blake2b(digest_size=12)
    for read in reads:
        digest.update("\x1f".join(read).encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


def _string_forms(translator: Translator, key: str) -> str:
    """Every form of a key a lookup can return, in this language and its fallback."""
    found: list[str] = []
    for source in (translator, translator.fallback):
        if source is None:
            found.append("")
            continue
        texts = source.texts
        found.extend(texts.get(name, "\0") for name in
                     (key, *(f"{key}.{form}" for form in PLURAL_FORMS)))
    return hashlib.blake2b("\x1f".join(found).encode("utf-8", "surrogatepass"),
                           digest_size=12).hexdigest()


def strings_read_by(keys: Iterable[str], lang: str) -> Iterator[Read]:
    for key in keys:
        yield ("string", lang, key)
