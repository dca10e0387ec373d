"""Read the forms of a page as a browser would submit them (for the contract tests)."""

from __future__ import annotations

from html.parser import HTMLParser

TEXT_TYPES = {"text", "hidden", "email", "number", "url", "tel", "search", "date", "time"}


class Form:
    def __init__(self, attrs: dict):
        self.method = (attrs.get("method") or "get").lower()
        self.action = attrs.get("action") or ""
        self.enctype = attrs.get("enctype") or ""
        self.fields: list[tuple[str, str]] = []  # (name, value) in page order
        self.text_inputs: list[str] = []  # names of free-text inputs and textareas
        self.file_inputs: list[str] = []
        self.options: dict[str, list[str]] = {}  # a select's choices, blank ones left out

    def data(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for name, value in self.fields:
            out.setdefault(name, []).append(value)
        return out

    def names(self) -> set[str]:
        return {name for name, _ in self.fields}


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: dict | None = None
        self.textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self.form = Form(a)
            self.forms.append(self.form)
        if self.form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in TEXT_TYPES:
                self.form.fields.append((name, a.get("value", "")))
                if kind == "text":
                    self.form.text_inputs.append(name)
            elif kind in ("checkbox", "radio") and "checked" in a:
                self.form.fields.append((name, a.get("value") or "on"))
            elif kind == "file":
                self.form.file_inputs.append(name)
        elif tag == "select" and name:
            self.select = {"name": name, "multiple": "multiple" in a, "options": [], "chosen": []}
        elif tag == "option" and self.select is not None:
            value = a.get("value", "")
            self.select["options"].append(value)
            if "selected" in a:
                self.select["chosen"].append(value)
        elif tag == "textarea" and name:
            self.textarea = {"name": name, "text": ""}

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea["text"] += data

    def handle_endtag(self, tag):
        if self.form is None:
            return
        if tag == "select" and self.select is not None:
            self.form.options[self.select["name"]] = [o for o in self.select["options"] if o]
            chosen = self.select["chosen"]
            if not chosen and not self.select["multiple"] and self.select["options"]:
                chosen = self.select["options"][:1]
            self.form.fields += [(self.select["name"], v) for v in chosen]
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            text = self.textarea["text"]
            self.form.fields.append((self.textarea["name"], text[1:] if text[:1] == "\n" else text))
            self.form.text_inputs.append(self.textarea["name"])
            self.textarea = None
        elif tag == "form":
            self.form = None


def forms_on(html: str) -> list[Form]:
    parser = _Parser()
    parser.feed(html)
    return parser.forms


def version_field(form: Form) -> str | None:
    """The name of the form's version input ('version', or 'i12-version' in a formset)."""
    return next((n for n in form.names() if n == "version" or n.endswith("-version")), None)
