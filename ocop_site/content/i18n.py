"""Interface strings: `i18n/<code>.yaml` files → one Translator per site language.

The theme ships `i18n/vi.yaml` and `i18n/en.yaml` at the project root; a site folder may
hold its own `i18n/` whose strings replace the theme's key by key (like templates and
assets). Adding a language is adding `i18n/<code>.yaml` and the code to `languages:` in
site.yaml. Each file is a shallow YAML mapping; nested keys are joined with dots
(`nav.products`). `{name}` in a string is a placeholder filled by the caller; a string
with counts may be a mapping `{one: …, other: …}` chosen by the `count` placeholder.

A key missing in another language falls back to the default language's string (the
build warns; tests/test_i18n.py fails for the shipped files); a key missing everywhere
is an error, in the spirit of StrictUndefined: a typo never becomes an empty hole.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from ..errors import ErrorCollector, InvalidInput
from ..text.frontmatter import FrontMatterError, decode, parse_yaml

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
PLURAL_FORMS = ("one", "other")
# what every language file must say about itself (never borrowed from another language)
OWN_KEYS = ("language.name",)
MAX_LISTED = 8  # missing keys named in a warning


class MissingText(InvalidInput, LookupError):
    """An interface string that no translation file has, or a placeholder left unfilled
    (the build reports it as an error of `i18n`)."""

    def __init__(self, en: str):
        super().__init__(en, f"thiếu chuỗi giao diện: {en}")


@dataclass(frozen=True)
class Translator:
    """The interface strings of one language, falling back to the default language's."""

    lang: str
    texts: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    fallback: "Translator | None" = None  # the default language; None for itself
    files: tuple[str, ...] = ()  # where the strings came from, for messages

    def __call__(self, key: str, **params: Any) -> str:
        """The string for `key` with its `{placeholders}` filled from `params`."""
        text = self._plain.get(key)  # a page asks for ~40 strings: the common case first
        if text is None:
            text = self._find(key, params.get("count"))
        return fill(text, params, key) if "{" in text else text

    @cached_property
    def _plain(self) -> Mapping[str, str]:
        """Every string without plural forms that a lookup of its key returns: this
        language's over the default language's (unless this one has plural forms)."""
        plain = {} if self.fallback is None else {
            key: text for key, text in self.fallback.texts.items()
            if not any(f"{key}.{form}" in self.texts for form in PLURAL_FORMS)}
        plain.update(self.texts)
        return plain

    def raw(self, key: str, form: str | None = None) -> str:
        """The string unfilled, for browser scripts that fill the placeholders themselves;
        `form` picks a plural form ('one', 'other')."""
        return self._find(key, 1 if form == "one" else None)

    def around(self, key: str, name: str, **params: Any) -> tuple[str, str]:
        """The text before and after `{name}`: for a link inside a sentence, whose word
        order differs between languages ('xã {name}', '{name} commune')."""
        before, _, after = self(key, **{**params, name: "\0"}).partition("\0")
        return before, after

    def date(self, day: dt.date) -> str:
        """A date as this language writes it ('format.date': '{dd}/{mm}/{yyyy}')."""
        return self("format.date", d=day.day, dd=f"{day.day:02d}", m=day.month,
                    mm=f"{day.month:02d}", yyyy=day.year,
                    month=self(f"month.{day.month}") if self.has(f"month.{day.month}")
                    else day.month)

    def price(self, amount: int | None) -> str:
        """150000 → '150.000 ₫' (vi) or '150,000 ₫' (en); '' for no price."""
        if amount is None:
            return ""
        grouped = f"{amount:,}".replace(",", self("format.thousands"))
        return self("format.price", amount=grouped)

    def has(self, key: str) -> bool:
        return key in self.texts or any(f"{key}.{f}" in self.texts for f in PLURAL_FORMS)

    @property
    def meta(self) -> "LanguageMeta":
        name = self.texts.get("language.name", self.lang)
        return LanguageMeta(self.lang, name, self.texts.get("language.hreflang", self.lang),
                            self.texts.get("language.og_locale", self.lang))

    def missing(self) -> tuple[str, ...]:
        """Keys of the default language this one lacks (they are shown in the default)."""
        if self.fallback is None:
            return ()
        def covered(key: str) -> bool:
            base, _, form = key.rpartition(".")
            return self.has(key) or (form in PLURAL_FORMS and self.has(base))
        return tuple(k for k in self.fallback.texts
                     if not k.startswith("language.") and not covered(k))

    def _find(self, key: str, count: Any) -> str:
        for source in (self, self.fallback):
            if source is None:
                continue
            if key in source.texts:
                return source.texts[key]
            forms = {f: source.texts[f"{key}.{f}"] for f in PLURAL_FORMS
                     if f"{key}.{f}" in source.texts}
            if forms:
                form = "one" if count == 1 and "one" in forms else "other"
                return forms.get(form) or next(iter(forms.values()))
        files = " or ".join(self.files + (self.fallback.files if self.fallback else ()))
        raise MissingText(f"no interface string '{key}' for '{self.lang}' in "
                          f"{files or 'i18n/'}")


@dataclass(frozen=True)
class LanguageMeta:
    """How a language names itself: switcher label, hreflang, Open Graph locale."""

    code: str
    name: str
    hreflang: str
    og_locale: str


def fill(template: str, params: Mapping[str, Any], key: str = "") -> str:
    """'{count} sản phẩm' + count=3 → '3 sản phẩm'. Plain substitution (no format
    spec, no attribute access): translation files are text, not code."""
    pieces = _pieces(template)
    out = [pieces[0]]
    for index in range(1, len(pieces), 2):
        name = pieces[index]
        if name not in params:
            raise MissingText(f"interface string '{key}' needs a value for '{{{name}}}'")
        out += (str(params[name]), pieces[index + 1])
    return "".join(out)


@lru_cache(maxsize=4096)
def _pieces(template: str) -> tuple[str, ...]:
    """'{count} sản phẩm' → ('', 'count', ' sản phẩm'): text and placeholder names
    alternate; split once per string, not once per page."""
    return tuple(_PLACEHOLDER.split(template))


def flatten(data: Mapping[str, Any], lines: Mapping[tuple, int], shown: str,
            errors: ErrorCollector, prefix: tuple[str, ...] = ()) -> dict[str, str]:
    """Nested mapping → {'nav.products': 'Sản phẩm'}; a leaf that is not text is an error."""
    flat: dict[str, str] = {}
    for key, value in data.items():
        path = prefix + (str(key),)
        dotted = ".".join(path)
        if isinstance(value, dict):
            flat.update(flatten(value, lines, shown, errors, path))
        elif isinstance(value, str):
            flat[dotted] = value
        else:
            errors.add(shown, lines.get(path, 1), dotted,
                       f"must be text, got {value!r} (put numbers and words in quotes)",
                       f"phải là văn bản, đang ghi {value!r} (hãy đặt trong dấu nháy)")
    return flat


def _shown(path: Path, roots: tuple[Path, ...]) -> str:
    for root in roots:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            continue
    return path.as_posix()


def load_translators(folders: tuple[Path, ...], languages: tuple[str, ...],
                     errors: ErrorCollector, roots: tuple[Path, ...] = (),
                     languages_line: int = 0) -> dict[str, Translator]:
    """Read `<folder>/<code>.yaml` for every language; `folders` come first-wins (the
    site's own before the theme's), so a site overrides single strings. Problems go to
    `errors`; missing strings of a non-default language are warnings."""
    default: Translator | None = None
    translators: dict[str, Translator] = {}
    for code in languages:
        texts: dict[str, str] = {}
        files: list[str] = []
        for folder in reversed(folders):  # theme first, the site's own on top
            path = folder / f"{code}.yaml"
            if not path.is_file():
                continue
            shown = _shown(path, roots)
            files.append(shown)
            try:
                data, lines = parse_yaml(decode(path.read_bytes()))
            except FrontMatterError as exc:
                errors.extend([exc.to_error(shown)])
                continue
            if data is None:
                continue
            if not isinstance(data, dict):
                errors.add(shown, 1, "i18n", "must be a list of 'key: text' lines",
                           "phải là các dòng 'khóa: văn bản'")
                continue
            texts.update(flatten(data, lines, shown, errors))
        if not files:
            errors.add("site.yaml", languages_line, "languages",
                       f"no interface strings for '{code}': add i18n/{code}.yaml (copy "
                       "i18n/en.yaml and translate each line)",
                       f"chưa có bản dịch giao diện cho '{code}': hãy thêm i18n/{code}.yaml "
                       "(chép i18n/en.yaml rồi dịch từng dòng)")
            continue
        for key in OWN_KEYS:
            if key not in texts:
                errors.add(files[-1], 1, key,
                           f"every language file names its language: add '{key}' "
                           "(e.g. language: {name: English})",
                           f"mỗi tệp ngôn ngữ phải có tên ngôn ngữ: hãy thêm '{key}'")
        translator = Translator(code, MappingProxyType(texts), default, tuple(files))
        if default is None:
            default = translator
        translators[code] = translator
    if default is not None:
        _report_differences(translators, default, errors)
    return translators


def _report_differences(translators: Mapping[str, Translator], default: Translator,
                        errors: ErrorCollector) -> None:
    """Warnings: strings shown in the default language instead, and strings no page asks
    for (a key the default language lacks is most likely misspelt)."""
    for translator in translators.values():
        if translator is default:
            continue
        shown = translator.files[-1]
        missing = translator.missing()
        if missing:
            listed = ", ".join(missing[:MAX_LISTED]) + (", …" if len(missing) > MAX_LISTED
                                                       else "")
            errors.warn(shown, 0, "i18n",
                        f"{len(missing)} interface strings are missing and are shown in "
                        f"'{default.lang}' instead: {listed}",
                        f"thiếu {len(missing)} chuỗi giao diện, sẽ hiện bằng "
                        f"'{default.lang}': {listed}")
        extra = sorted(k for k in translator.texts if not k.startswith("language.")
                       and not default.has(k) and not default.has(k.rpartition(".")[0]))
        if extra:
            listed = ", ".join(extra[:MAX_LISTED])
            errors.warn(shown, 0, "i18n",
                        f"strings not in '{default.lang}' are never used (misspelt?): {listed}",
                        f"chuỗi không có trong '{default.lang}' sẽ không được dùng (viết "
                        f"sai?): {listed}")
