"""Random sequences of edits, and after each one every kind of build writes what a
cold build writes, byte for byte.

A hypothesis state machine edits a real copy of the fixture site — products added,
edited, renamed and deleted; producers, events, shops (their words only, or more) and
photos; a template (and the print catalogue's row, kept apart), an interface string,
site.yaml, a data file, the dependency graph's file (damaged or removed) — and after
every step builds it four ways:

* serve's session (the last build's memory, the output updated in place), told some
  of the paths that changed as its watcher would be (it must find the others);
* the CLI into the same output folder, with the site's caches;
* the CLI into a fresh folder, with the site's caches (CI restoring .cache/);
* cold: a copy of the site without .cache/, into a fresh folder.

All four trees must be equal, or all four builds must fail with the same errors.
"""
from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (RuleBasedStateMachine, initialize, invariant, precondition,
                                 rule)

from ocop_site.base.inputs import changed, input_roots, scan
from ocop_site.pipeline import builder
from ocop_site.errors import ContentErrors
from ocop_site.pipeline.session import Session

from .conftest import FIXTURE_SITE, TODAY

PRODUCT = """---
name: {name}
stars: {stars}
category: che-tuoi-che-bien
commune: {commune}
producer: {producer}
certificate:
  decision: {number}/QĐ-UBND
  date: 2024-0{month}-12
  issued_by: UBND huyện Sông Lô
price: {price}
unit: hộp 500g
{images}---
{body}
"""
NAMES = ("Chè búp", "Mật ong rừng", "Bánh gai", "Ổi lê", "Đậu phụ", "Gạo nếp", "Ấm trà")
COMMUNES = ("Đồng Thịnh", "Hải Lựu", "Như Thụy", "Sông Lô")
WORDS = ("thơm", "ngọt", "đậm đà", "truyền thống", "Đồng Quế", "hái tay", "sạch")


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def outcome(build) -> tuple[str, object]:
    try:
        build()
    except ContentErrors as exc:
        return "errors", tuple(e.format() for e in exc.errors)
    return "built", None


class EditedSite(RuleBasedStateMachine):
    """The fixture site, edited at random; four builds compared after every step."""

    @initialize()
    def start(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="ocop-states-"))
        self.site = self.root / "site"
        shutil.copytree(FIXTURE_SITE, self.site, ignore=shutil.ignore_patterns(".cache"))
        # as serve runs it: the search index after the pages, from the one it keeps
        self.session = Session(self.site, self.root / "live", today=TODAY,
                               search_later=True)
        self.same = self.root / "same"
        self.count = 0
        self.step = 0
        # a shop from the start, so that edits of its words alone come early and often
        self.write_shop("sạch", "Mo-Fr 07:30-17:00", "[che-xanh-dong-thinh]")
        self.session.build()
        builder.build(self.site, self.same, today=TODAY)

    def teardown(self) -> None:
        shutil.rmtree(getattr(self, "root", Path("/nonexistent")), ignore_errors=True)

    # -- helpers ---------------------------------------------------------------------
    def products(self) -> list[Path]:
        return sorted((self.site / "content/products").glob("*.md"))

    def own(self) -> list[Path]:
        """Product files this machine added (the fixture's are named by events)."""
        return [p for p in self.products() if p.name.startswith("sp-")]

    def write_product(self, path: Path, name: str, stars: int, commune: str, price: int,
                      body: str, photo: str | None = None) -> None:
        images = f"images:\n  - src: images/{photo}\n    alt: Ảnh {name}\n" if photo else ""
        path.write_text(PRODUCT.format(
            name=name, stars=stars, commune=commune, producer="htx-che-dong-thinh",
            number=self.count, month=1 + self.count % 9, price=price, images=images,
            body=body), encoding="utf-8")

    def edit(self, relative: str, old: str, new: str) -> None:
        path = self.site / relative
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(old, new, 1) if old in text else text + new,
                        encoding="utf-8")

    # -- products ----------------------------------------------------------------------
    @rule(name=st.sampled_from(NAMES), stars=st.integers(3, 5),
          commune=st.sampled_from(COMMUNES), price=st.integers(1, 90),
          words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=4))
    def add_product(self, name: str, stars: int, commune: str, price: int,
                    words: list[str]) -> None:
        self.count += 1
        self.write_product(self.site / f"content/products/sp-{self.count}.md",
                           f"{name} {self.count}", stars, commune, price * 1000,
                           " ".join(words).capitalize() + ".")

    @precondition(lambda self: self.own())
    @rule(data=st.data(), field=st.sampled_from(["stars", "price", "commune", "name",
                                                  "body", "draft"]))
    def edit_product(self, data: st.DataObject, field: str) -> None:
        path = data.draw(st.sampled_from(self.own()))
        text = path.read_text(encoding="utf-8")
        head, _, body = text.partition("\n---\n")
        lines = head.splitlines()
        if field == "body":
            body = body.rstrip("\n") + " " + data.draw(st.sampled_from(WORDS)) + ".\n"
        elif field == "draft":
            lines = [l for l in lines if not l.startswith("draft:")] if \
                any(l.startswith("draft:") for l in lines) else lines + ["draft: true"]
        else:
            value = {"stars": lambda: str(data.draw(st.integers(3, 5))),
                     "price": lambda: str(data.draw(st.integers(1, 90)) * 1000),
                     "commune": lambda: data.draw(st.sampled_from(COMMUNES)),
                     "name": lambda: f"{data.draw(st.sampled_from(NAMES))} {self.count + 50}",
                     }[field]()
            lines = [f"{field}: {value}" if l.startswith(f"{field}:") else l for l in lines]
        path.write_text("\n".join(lines) + "\n---\n" + body, encoding="utf-8")

    @precondition(lambda self: self.own())
    @rule(data=st.data())
    def rename_product_file(self, data: st.DataObject) -> None:
        path = data.draw(st.sampled_from(self.own()))
        self.count += 1
        path.rename(path.with_name(f"sp-{self.count}.md"))

    @precondition(lambda self: self.own())
    @rule(data=st.data())
    def delete_product(self, data: st.DataObject) -> None:
        data.draw(st.sampled_from(self.own())).unlink()

    # -- producers, events, photos ---------------------------------------------------------
    @rule(address=st.sampled_from(WORDS))
    def edit_producer(self, address: str) -> None:
        self.edit("content/producers/ho-mat-ong-don-nhan.md", "address:",
                  f"address: Thôn {address},")

    @rule()
    def add_or_remove_producer(self) -> None:
        path = self.site / "content/producers/ho-moi.md"
        if path.exists():
            path.unlink()
        else:
            path.write_text("---\nname: Hộ Mới\ntype: household\ncommune: Hải Lựu\n"
                            "phone: \"0900 111 222\"\naddress: Thôn 1, xã Hải Lựu\n---\n"
                            "Hộ sản xuất mới.\n", encoding="utf-8")

    @rule(word=st.sampled_from(WORDS))
    def edit_event(self, word: str) -> None:
        self.edit("content/events/phien-cho-thu-nghiem.md", "title: Phiên chợ",
                  f"title: Phiên chợ {word}")

    @rule(word=st.sampled_from(WORDS), hours=st.sampled_from(
        ["Mo-Fr 07:30-17:00", "Sa-Su 08:00-12:00", "Mo-Su 05:00-10:00"]),
        products=st.sampled_from(["[che-xanh-dong-thinh]",
                                  "[che-xanh-dong-thinh, mat-ong-hoa-nhan-don-nhan]"]))
    def add_or_edit_shop(self, word: str, hours: str, products: str) -> None:
        """A shop added or edited: its page, sheet and its products' pages change."""
        self.write_shop(word, hours, products)

    def write_shop(self, word: str, hours: str, products: str) -> None:
        path = self.site / "content/shops/cho-thu-nghiem.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text(f"---\nname: Chợ {word}\nkind: market\ncommune: Như Thuỵ\n"
                        f"address: Chợ xã, {word}\ngeo: {{lat: 21.4, lng: 105.4}}\n"
                        f"hours:\n  - {hours}\nproducts: {products}\n---\n",
                        encoding="utf-8")

    @precondition(lambda self: (self.site / "content/shops/cho-thu-nghiem.md").exists())
    @rule(field=st.sampled_from(["hours", "address", "phone", "body"]),
          word=st.sampled_from(WORDS), hours=st.sampled_from(
              ["Mo-Fr 07:30-17:00", "Sa-Su 08:00-12:00", "Mo-Su 05:00-11:00"]))
    def edit_shop_words(self, field: str, word: str, hours: str) -> None:
        """Only a shop's words: the dependency graph plans what shows the shop."""
        path = self.site / "content/shops/cho-thu-nghiem.md"
        head, _, body = path.read_text(encoding="utf-8").partition("\n---\n")
        lines = head.splitlines()
        if field == "hours":
            lines = [f"  - {hours}" if line.startswith("  - ") else line for line in lines]
        elif field == "address":
            lines = [f"address: Số {self.count}, {word}" if line.startswith("address:")
                     else line for line in lines]
            self.count += 1
        elif field == "phone":
            phone = [line for line in lines if line.startswith("phone:")]
            lines = [line for line in lines if line not in phone] if phone \
                else lines + ['phone: "0900 111 333"']
        else:
            body = body.rstrip("\n") + f" {word.capitalize()}.\n"
        path.write_text("\n".join(lines) + "\n---\n" + body, encoding="utf-8")

    @rule()
    def remove_shop(self) -> None:
        path = self.site / "content/shops/cho-thu-nghiem.md"
        if path.exists():
            path.unlink()

    @precondition(lambda self: self.own())
    @rule(data=st.data(), colour=st.integers(0, 255))
    def add_photo(self, data: st.DataObject, colour: int) -> None:
        from PIL import Image
        path = data.draw(st.sampled_from(self.own()))
        self.count += 1
        photo = f"anh-{self.count}.jpg"
        Image.new("RGB", (320, 240), (colour, 120, 60)).save(
            self.site / "content/products/images" / photo, quality=80)
        text = path.read_text(encoding="utf-8")
        head, _, body = text.partition("\n---\n")
        head = "\n".join(l for l in head.splitlines() if not l.startswith(("images:", "  ")))
        path.write_text(head + f"\nimages:\n  - src: images/{photo}\n    alt: Ảnh\n---\n"
                        + body, encoding="utf-8")

    @rule(colour=st.integers(0, 255))
    def replace_the_fixture_photo(self, colour: int) -> None:
        from PIL import Image
        Image.new("RGB", (400, 300), (90, colour, 30)).save(
            self.site / "content/products/images/che.jpg", quality=80)

    # -- templates, strings, settings, data ------------------------------------------------
    @rule(mark=st.integers(0, 3))
    def edit_a_template(self, mark: int) -> None:
        folder = self.site / "templates/partials"
        folder.mkdir(parents=True, exist_ok=True)
        theme = (Path(builder.__file__).parent.parent.parent / "templates/partials/stars.html")
        (folder / "stars.html").write_text(theme.read_text(encoding="utf-8")
                                           + f"<!-- {mark} -->\n", encoding="utf-8")

    @rule(mark=st.integers(0, 3))
    def edit_the_print_row(self, mark: int) -> None:
        """The print catalogue's row: kept per product between builds (pipeline/parts.py)."""
        folder = self.site / "templates/partials"
        folder.mkdir(parents=True, exist_ok=True)
        theme = (Path(builder.__file__).parent.parent.parent
                 / "templates/partials/print-row.html")
        (folder / "print-row.html").write_text(theme.read_text(encoding="utf-8")
                                               + f"    <!-- {mark} -->\n", encoding="utf-8")

    @rule(text=st.sampled_from(["{stars} sao", "Hạng {stars} sao", "{stars} sao OCOP"]))
    def edit_a_string_a_row_shows(self, text: str) -> None:
        (self.site / "i18n").mkdir(exist_ok=True)
        (self.site / "i18n/vi.yaml").write_text(f'stars.label: "{text}"\n', encoding="utf-8")

    @rule(text=st.sampled_from(["Sản phẩm", "Tất cả sản phẩm", "Đặc sản"]))
    def edit_a_string(self, text: str) -> None:
        (self.site / "i18n").mkdir(exist_ok=True)
        (self.site / "i18n/vi.yaml").write_text(f"nav.products: {text}\n", encoding="utf-8")

    @rule(word=st.sampled_from(WORDS))
    def edit_site_yaml(self, word: str) -> None:
        self.edit("site.yaml", "tagline: Trang thử nghiệm", f"tagline: Trang thử nghiệm {word}")

    @rule(word=st.sampled_from(WORDS))
    def edit_a_data_file(self, word: str) -> None:
        path = self.site / "content/data/communes.yaml"
        text = path.read_text(encoding="utf-8")
        marker = "  - name: Hải Lựu\n"
        assert marker in text
        path.write_text(text.replace(marker, marker + f"    description: Xã {word}.\n", 1)
                        if f"Xã {word}." not in text else text, encoding="utf-8")

    @rule(how=st.sampled_from(["garbage", "empty", "gone"]))
    def damage_the_dependency_graph(self, how: str) -> None:
        """pipeline/depgraph.py's file: a CLI build that cannot read it plans everything."""
        path = self.site / ".cache/graph.pickle"
        if how == "gone":
            path.unlink(missing_ok=True)
        elif path.exists():
            path.write_bytes(b"" if how == "empty" else b"\x80\x05\x95garbage")

    def serve_build(self) -> None:
        """The session's build as serve runs it, told the paths its watcher heard: here
        every other one of those that changed (all, some or none of them), so the build
        must find what it was not told."""
        memory = self.session.memory
        heard = None
        if memory is not None:
            now = scan(input_roots(self.site.resolve()))
            heard = changed(memory.scan, now)[self.step % 2::2]
        self.session.build(heard)
        while self.session.pending:
            self.session.update_search_index()

    # -- after every step ------------------------------------------------------------------
    @invariant()
    def every_build_writes_what_a_cold_build_writes(self) -> None:
        if not hasattr(self, "root"):
            return
        self.step += 1
        cold_site = self.root / f"cold-site-{self.step}"
        shutil.copytree(self.site, cold_site, ignore=shutil.ignore_patterns(".cache"))
        cold_out = self.root / f"cold-{self.step}"
        fresh = self.root / f"fresh-{self.step}"
        results = {
            "cold": outcome(lambda: builder.build(cold_site, cold_out, today=TODAY)),
            "session": outcome(self.serve_build),
            "same folder": outcome(lambda: builder.build(self.site, self.same, today=TODAY)),
            "fresh folder": outcome(lambda: builder.build(self.site, fresh, today=TODAY)),
        }
        assert len(set(results.values())) == 1, results
        if results["cold"][0] == "built":
            expected = tree(cold_out)
            assert tree(self.session.output) == expected, "session"
            assert tree(self.same) == expected, "same folder"
            assert tree(fresh) == expected, "fresh folder"
        shutil.rmtree(cold_site)
        shutil.rmtree(cold_out, ignore_errors=True)
        shutil.rmtree(fresh, ignore_errors=True)


TestEditedSite = EditedSite.TestCase
TestEditedSite.settings = settings(max_examples=8, stateful_step_count=8, deadline=None,
                                   suppress_health_check=[HealthCheck.too_slow])

