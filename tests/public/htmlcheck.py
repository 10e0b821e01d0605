"""A small HTML checker built on Python's html.parser (no new dependency): unclosed,
stray or misnested tags, duplicate ids, labels pointing nowhere, form fields without
a label, images without alt text, template syntax left in the text, and the
page-level basics (lang, title, one h1)."""

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
FIELDS = {"input", "select", "textarea"}
UNLABELLED_INPUTS = {"hidden", "submit", "button", "reset", "image"}
# Elements that may not contain themselves (a link in a link, a form in a form…).
NO_NESTING = {"a", "form", "button", "label", "p"}


class Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.problems: list[str] = []
        self.ids: set[str] = set()
        self.label_for: list[str] = []
        self.fields: list[tuple[str, dict, bool]] = []
        self.h1 = 0
        self.title = ""
        self.html_lang = None
        self._in_title = False

    def where(self):
        line, column = self.getpos()
        return f"line {line}"

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            if attributes["id"] in self.ids:
                self.problems.append(f"duplicate id {attributes['id']!r} ({self.where()})")
            self.ids.add(attributes["id"])
        if tag == "html":
            self.html_lang = attributes.get("lang")
        if tag == "h1":
            self.h1 += 1
        if tag == "title":
            self._in_title = True
        if tag == "label" and attributes.get("for"):
            self.label_for.append(attributes["for"])
        if tag == "img" and "alt" not in attributes:
            self.problems.append(f"img without alt ({self.where()})")
        if tag in FIELDS and attributes.get("type") not in UNLABELLED_INPUTS:
            inside_label = any(open_tag == "label" for open_tag, _ in self.stack)
            self.fields.append((tag, attributes, inside_label))
        if tag in NO_NESTING and any(open_tag == tag for open_tag, _ in self.stack):
            self.problems.append(f"<{tag}> inside <{tag}> ({self.where()})")
        if tag not in VOID:
            self.stack.append((tag, attributes))

    def handle_startendtag(self, tag, attrs):
        if tag not in VOID:
            self.problems.append(f"self-closed <{tag}/> ({self.where()})")
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag in VOID:
            self.problems.append(f"end tag </{tag}> of a void element ({self.where()})")
            return
        if not self.stack:
            self.problems.append(f"stray </{tag}> ({self.where()})")
            return
        open_tag, _ = self.stack[-1]
        if open_tag != tag:
            self.problems.append(f"</{tag}> closes <{open_tag}> ({self.where()})")
            if any(t == tag for t, _ in self.stack):
                while self.stack and self.stack[-1][0] != tag:
                    self.stack.pop()
                self.stack.pop()
            return
        self.stack.pop()

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        # Template syntax that reached the page (a {# #} comment spanning lines, a
        # typo in a tag) shows up as text.
        for marker in ("{#", "#}", "{%", "%}", "{{", "}}"):
            if marker in data:
                self.problems.append(f"template syntax {marker!r} in the text ({self.where()})")

    def close(self):
        super().close()
        for tag, _ in self.stack:
            self.problems.append(f"<{tag}> never closed")
        for target in self.label_for:
            if target not in self.ids:
                self.problems.append(f"label for missing id {target!r}")
        for tag, attributes, inside_label in self.fields:
            named = (
                inside_label
                or attributes.get("id") in self.label_for
                or attributes.get("aria-label")
                or attributes.get("aria-labelledby")
            )
            if not named:
                self.problems.append(f"<{tag} name={attributes.get('name')!r}> has no label")
        if not self.html_lang:
            self.problems.append("<html> without lang")
        if not self.title.strip():
            self.problems.append("empty <title>")
        if self.h1 != 1:
            self.problems.append(f"{self.h1} <h1> elements (one expected)")


def problems(page: str) -> list[str]:
    """What is wrong with an HTML page; an empty list when nothing is."""
    checker = Checker()
    checker.feed(page)
    checker.close()
    return checker.problems
