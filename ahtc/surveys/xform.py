"""Our own field catalogue, read from the XForm XML (the ODK XForms spec), not
from pyxform's internals: what pyxform emits is a published standard, what it
keeps in memory is not and changes between releases.

Each field: path (relative to the form's root, "group/question"), name, type,
choices (value and labels per language), relevance, constraint, required,
calculation, the enclosing repeat, and labels and hints per language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element

from defusedxml import ElementTree  # type: ignore[import-untyped]

XF = "{http://www.w3.org/2002/xforms}"
H = "{http://www.w3.org/1999/xhtml}"
JR = "{http://openrosa.org/javarosa}"
ODK = "{http://www.opendatakit.org/xforms}"
CONTROLS = {"input", "select1", "select", "upload", "trigger", "range", "rank", "odk:rank"}
BIND_TYPES = {
    "string": "text",
    "int": "integer",
    "decimal": "decimal",
    "date": "date",
    "dateTime": "datetime",
    "time": "time",
    "geopoint": "geopoint",
    "geotrace": "geotrace",
    "geoshape": "geoshape",
    "binary": "file",
    "barcode": "barcode",
    "boolean": "boolean",
    "odk:rank": "rank",
}
LANG_CODE = re.compile(r"\(([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)?)\)\s*$")
ITEXT_REF = re.compile(r"jr:itext\('([^']+)'\)")
ITEMSET = re.compile(r"instance\('([^']+)'\)")


class XFormError(ValueError):
    """The XML is not an XForm we can read."""


@dataclass
class Catalogue:
    form_id: str
    version: str
    title: str
    languages: list[str]
    fields: list[dict[str, Any]] = field(default_factory=list)

    def by_path(self) -> dict[str, dict[str, Any]]:
        return {f["path"]: f for f in self.fields}


def language_code(name: str) -> str:
    """ "Urdu (ur)" → "ur"; a name without a code stays as it is."""
    found = LANG_CODE.search(name)
    return found.group(1).lower() if found else name


def _local(element: Element) -> str:
    return str(element.tag).rsplit("}", 1)[-1]


def _text(element: Element | None) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def _itext(model: Element) -> dict[str, dict[str, str]]:
    """text id → {language: text}, the plain (not media) form only."""
    texts: dict[str, dict[str, str]] = {}
    for translation in model.iter(f"{XF}translation"):
        lang = language_code(translation.get("lang", "default"))
        for text in translation.iter(f"{XF}text"):
            values = [v for v in text.iter(f"{XF}value") if v.get("form") in (None, "long")]
            if values:
                texts.setdefault(text.get("id", ""), {})[lang] = _text(values[0])
    return texts


class _Reader:
    def __init__(self, xml: str | bytes) -> None:
        try:
            self.root = ElementTree.fromstring(xml)
        except Exception as exc:  # defusedxml raises several kinds
            raise XFormError("not well-formed XML") from exc
        head = self.root.find(f"{H}head")
        model = head.find(f"{XF}model") if head is not None else None
        body = self.root.find(f"{H}body")
        if head is None or model is None or body is None:
            raise XFormError("no XForm head, model or body")
        self.head, self.model, self.body = head, model, body
        self.itext = _itext(model)
        self.binds = {b.get("nodeset", ""): b.attrib for b in model.findall(f"{XF}bind")}
        instances = model.findall(f"{XF}instance")
        primary = next((i for i in instances if i.get("id") is None), None)
        if primary is None or len(primary) == 0:
            raise XFormError("no primary instance")
        self.data = primary[0]
        self.prefix = "/" + self.data.tag.split("}")[-1] + "/"
        self.secondary = {i.get("id", ""): i for i in instances if i.get("id") is not None}
        self.fields: dict[str, dict[str, Any]] = {}

    def rel(self, ref: str) -> str:
        return ref[len(self.prefix) :] if ref.startswith(self.prefix) else ref.lstrip("/")

    def labels(self, element: Element, tag: str) -> dict[str, str]:
        node = element.find(f"{XF}{tag}")
        if node is None:
            return {}
        ref = ITEXT_REF.search(node.get("ref", ""))
        if ref:
            return dict(self.itext.get(ref.group(1), {}))
        text = _text(node)
        return {"default": text} if text else {}

    def choices(self, control: Element) -> list[dict[str, Any]]:
        items = [
            {"value": _text(i.find(f"{XF}value")), "labels": self.labels(i, "label")}
            for i in control.findall(f"{XF}item")
        ]
        itemset = control.find(f"{XF}itemset")
        if itemset is not None:
            found = ITEMSET.search(itemset.get("nodeset", ""))
            instance = self.secondary.get(found.group(1)) if found else None
            if instance is not None:
                items += [self._instance_item(i) for i in instance.iter() if _local(i) == "item"]
        return items

    def _instance_item(self, item: Element) -> dict[str, Any]:
        name = _text(item.find(f"{XF}name"))
        itext_id = _text(item.find(f"{XF}itextId"))
        if itext_id:
            return {"value": name, "labels": dict(self.itext.get(itext_id, {}))}
        label = _text(item.find(f"{XF}label"))
        return {"value": name, "labels": {"default": label} if label else {}}

    def entry(self, path: str, kind: str, element: Element | None, repeat: str) -> dict[str, Any]:
        bind = self.binds.get(self.prefix + path, {})
        kind = kind or BIND_TYPES.get(bind.get("type", "string"), bind.get("type", "text"))
        if bind.get("calculate") and kind == "text":
            kind = "calculate"
        if element is not None and element.tag == f"{XF}input" and bind.get("readonly"):
            kind = "note" if not bind.get("calculate") else kind
        return {
            "path": path,
            "name": path.rsplit("/", 1)[-1],
            "type": kind,
            "labels": self.labels(element, "label") if element is not None else {},
            "hints": self.labels(element, "hint") if element is not None else {},
            "choices": [],
            "relevant": bind.get("relevant", "").strip(),
            "constraint": bind.get("constraint", "").strip(),
            "constraint_message": bind.get(f"{JR}constraintMsg", ""),
            "required": bind.get("required", "") == "true()",
            "calculate": bind.get("calculate", ""),
            "repeat": repeat,
        }

    def walk(self, element: Element, repeat: str = "") -> None:
        for child in element:
            tag = child.tag.replace(XF, "").replace(ODK, "odk:")
            if tag == "group":
                self._group(child, repeat)
            elif tag == "repeat":
                path = self.rel(child.get("nodeset", ""))
                self.fields.setdefault(path, self.entry(path, "repeat", None, repeat))
                self.walk(child, path)
            elif tag in CONTROLS:
                self._control(child, tag, repeat)

    def _group(self, group: Element, repeat: str) -> None:
        path = self.rel(group.get("ref", ""))
        inner = group.find(f"{XF}repeat")
        if path and inner is None:
            self.fields[path] = self.entry(path, "group", group, repeat)
        elif path and inner is not None:
            self.fields[path] = self.entry(path, "repeat", group, repeat)
        self.walk(group, repeat)

    def _control(self, control: Element, tag: str, repeat: str) -> None:
        path = self.rel(control.get("ref", ""))
        kind = {"select1": "select_one", "select": "select_multiple", "odk:rank": "rank"}.get(
            tag, ""
        )
        entry = self.entry(path, kind, control, repeat)
        if tag in {"select1", "select", "odk:rank"}:
            entry["choices"] = self.choices(control)
        self.fields[path] = entry

    def hidden(self, node: Element, base: str = "", repeat: str = "") -> None:
        """Instance leaves not in the body: calculations, metadata."""
        seen: set[str] = set()
        for child in node:
            name = child.tag.split("}")[-1]
            path = f"{base}{name}"
            if path in seen:
                continue
            seen.add(path)
            known = self.fields.get(path)
            inner = path if known is not None and known["type"] == "repeat" else repeat
            if len(child):
                self.hidden(child, path + "/", inner)
            elif known is None:
                self.fields[path] = self.entry(path, "", None, repeat)


def catalogue_from_xform(xml: str | bytes) -> Catalogue:
    reader = _Reader(xml)
    reader.walk(reader.body)
    reader.hidden(reader.data)
    languages = sorted({lang for texts in reader.itext.values() for lang in texts})
    return Catalogue(
        form_id=reader.data.get("id", "") or reader.data.tag.split("}")[-1],
        version=reader.data.get("version", ""),
        title=_text(reader.head.find(f"{H}title")),
        languages=languages,
        fields=list(reader.fields.values()),
    )


def label_in(labels: dict[str, str], language: str) -> str:
    """The label in `language`, else English, else the default, else any."""
    for key in (language, "en", "default"):
        if labels.get(key):
            return labels[key]
    return next(iter(labels.values()), "")
