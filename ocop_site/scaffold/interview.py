"""Talking to a person, or to a script: the answers asked one by one on a terminal
(re-asked until accepted, a close match offered as the default), or all checked at once
from command-line options; the confirmation and the next steps."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

from ..errors import UsageError
from ..text import vietnamese
from .filetext import slug_of, target_path
from .known import FOLDERS, Context, Invalid, Known, suggested
from .questions import QUESTIONS, Question


@dataclass(frozen=True)
class Problem:
    option: str
    en: str
    vi: str

    def format(self) -> str:
        return f"--{self.option}: {self.en} / {self.vi}"


def check_answers(kind: str, given: Mapping[str, str], known: Known
                  ) -> tuple[dict[str, Any], tuple[Problem, ...]]:
    """Check command-line answers (no prompts): every problem at once, missing ones too."""
    answers: dict[str, Any] = {}
    problems: list[Problem] = []
    for question in QUESTIONS[kind]:
        ctx = Context(kind, known, answers, given)
        raw = given.get(question.key)
        if raw is None and question.default is not None:
            raw = question.default(ctx)
        if raw is None or (not raw.strip() and not question.required):
            if question.required:
                problems.append(Problem(question.option, "required; give it as "
                                        f"--{question.option}",
                                        f"bắt buộc; hãy thêm --{question.option}"))
            continue
        try:
            answers[question.key] = question.parse(vietnamese.nfc(raw), ctx)
        except Invalid as exc:
            hint_en, hint_vi = suggested(exc.suggestion)
            if "did you mean" in exc.en:
                hint_en = hint_vi = ""
            problems.append(Problem(question.option, exc.en + hint_en, exc.vi + hint_vi))
    return answers, tuple(problems)


class Cancelled(UsageError):
    """The person stopped (end of input, Ctrl+C, or 'no' at the end): nothing written."""

    def __init__(self) -> None:
        super().__init__("cancelled; nothing was written", "đã hủy; chưa ghi gì")

    def lines(self) -> list[str]:
        return ["", f"{self.message_en} / {self.message_vi}"]  # after the prompt's line


def _prompt(question: Question, default: str | None) -> str:
    hint = f" ({question.hint})" if question.hint else ""
    optional = "" if question.required else " [Enter: bỏ qua / skip]"
    shown_default = f" [{default}]" if default else optional
    return f"{question.vi} / {question.en}{hint}{shown_default}: "


def interview(kind: str, given: Mapping[str, str], known: Known,
              ask: Callable[[str], str], say: Callable[[str], None]) -> dict[str, Any]:
    """Ask for every answer not given as an option (re-asking until it is accepted; a
    close match becomes the default: Enter accepts it). `ask` raises EOFError at the end
    of input."""
    answers: dict[str, Any] = {}
    for question in QUESTIONS[kind]:
        ctx = Context(kind, known, answers, given)
        raw = given.get(question.key)
        if raw is None and not question.asked:
            continue
        default = question.default(ctx) if question.default else None
        while True:
            if raw is None:
                try:
                    raw = ask(_prompt(question, default)).strip()
                except (EOFError, KeyboardInterrupt):
                    raise Cancelled() from None
                if raw == "?" and question.choices is not None:
                    say("\n".join("  " + line for line in question.choices(known)))
                    raw = None
                    continue
                if not raw:
                    if default:
                        raw = default
                    elif not question.required:
                        break
            try:
                answers[question.key] = question.parse(
                    vietnamese.nfc(raw), Context(kind, known, answers, given))
                break
            except Invalid as exc:
                say(f"  ✗ {exc.vi}\n    {exc.en}")
                if exc.suggestion:
                    say(f"    Enter = '{exc.suggestion}'")
                default = exc.suggestion or (None if raw == default else default)
                raw = None
    return answers


def confirm(answer: str) -> bool:
    """Yes in either language; Enter means yes."""
    return vietnamese.fold(answer.strip()) in ("", "y", "yes", "c", "co", "ok", "dong y")


def next_steps(kind: str, answers: Mapping[str, Any], check: str) -> Sequence[str]:
    slug = slug_of(kind, answers)
    folder = FOLDERS[kind]
    steps = [f"Đã tạo / Wrote {target_path(kind, answers)}"]
    if kind == "product":
        steps.append(f"Ảnh / Photos: content/{folder}/images/{slug}-1.jpg, {slug}-2.jpg … "
                     "và thêm / then add 'images:' (xem / see CONTRIBUTING.md)")
    steps.append(f"Kiểm tra / Check: {check}")
    return steps
