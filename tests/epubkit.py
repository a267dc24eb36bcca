"""Small EPUBs built for the tests (zipfile), EPUB 3 with a nav document or EPUB 2 with an NCX."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

XHTML = """<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">
<head><title>{title}</title></head>
<body{body_attrs}>
{body}
</body>
</html>
"""


@dataclass
class Doc:
    """One content document of a test EPUB."""

    name: str
    body: str
    title: str = "x"
    body_type: str = ""
    linear: bool = True


@dataclass
class Toc:
    """A table of contents entry: label, href (relative to the OPF directory), children."""

    label: str
    href: str | None
    children: list[Toc] = field(default_factory=list)


def _nav_ol(entries: list[Toc]) -> str:
    items = []
    for e in entries:
        label = f'<a href="{e.href}">{e.label}</a>' if e.href else f"<span>{e.label}</span>"
        kids = _nav_ol(e.children) if e.children else ""
        items.append(f"<li>{label}{kids}</li>")
    return "<ol>" + "".join(items) + "</ol>"


def _ncx_points(entries: list[Toc], counter: list[int]) -> str:
    out = []
    for e in entries:
        counter[0] += 1
        n = counter[0]
        out.append(
            f'<navPoint id="np{n}" playOrder="{n}"><navLabel><text>{e.label}</text></navLabel>'
            f'<content src="{e.href}"/>{_ncx_points(e.children, counter)}</navPoint>'
        )
    return "".join(out)


def make_epub(
    path: Path,
    docs: list[Doc],
    toc: list[Toc] | None = None,
    *,
    version: int = 3,
    title: str = "A Test Book",
    author: str | None = "Ann Author",
    language: str = "en-GB",
    landmarks: list[tuple[str, str]] = (),  # type: ignore[assignment]
    guide: list[tuple[str, str]] = (),  # type: ignore[assignment]
    cover: tuple[str, bytes, str] | None = None,
    extra: dict[str, bytes] | None = None,
    container: bool = True,
) -> Path:
    """Write an EPUB with ``docs`` in spine order under ``OEBPS/``; returns ``path``."""
    manifest = []
    spine = []
    for i, d in enumerate(docs):
        manifest.append(f'<item id="d{i}" href="{d.name}" media-type="application/xhtml+xml"/>')
        linear = "" if d.linear else ' linear="no"'
        spine.append(f'<itemref idref="d{i}"{linear}/>')
    meta = [f"<dc:title>{title}</dc:title>", f"<dc:language>{language}</dc:language>"]
    if author:
        meta.append(f'<dc:creator id="a1">{author}</dc:creator>')
    files: dict[str, bytes] = {}
    if cover:
        name, data, media = cover
        props = ' properties="cover-image"' if version == 3 else ""
        manifest.append(f'<item id="cover-img" href="{name}" media-type="{media}"{props}/>')
        if version == 2:
            meta.append('<meta name="cover" content="cover-img"/>')
        files[f"OEBPS/{name}"] = data
    if toc is not None and version == 3:
        marks = "".join(f'<li><a epub:type="{t}" href="{h}">{t}</a></li>' for t, h in landmarks)
        nav = (
            '<nav epub:type="toc"><h2>Contents</h2>'
            + _nav_ol(toc)
            + "</nav>"
            + (f'<nav epub:type="landmarks"><ol>{marks}</ol></nav>' if marks else "")
        )
        files["OEBPS/nav.xhtml"] = XHTML.format(title="nav", body_attrs="", body=nav).encode()
        manifest.append(
            '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
        )
    spine_attr = ""
    if toc is not None and version == 2:
        ncx = (
            '<?xml version="1.0"?><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">'
            f"<navMap>{_ncx_points(toc, [0])}</navMap></ncx>"
        )
        files["OEBPS/toc.ncx"] = ncx.encode()
        manifest.append('<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>')
        spine_attr = ' toc="ncx"'
    guide_xml = (
        "<guide>" + "".join(f'<reference type="{t}" href="{h}"/>' for t, h in guide) + "</guide>"
        if guide
        else ""
    )
    opf = (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<package xmlns="http://www.idpf.org/2007/opf" version="{version}.0" unique-identifier="id">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">' + "".join(meta) + "</metadata>"
        "<manifest>" + "".join(manifest) + "</manifest>"
        f"<spine{spine_attr}>" + "".join(spine) + "</spine>" + guide_xml + "</package>"
    )
    for d in docs:
        attrs = f' epub:type="{d.body_type}"' if d.body_type else ""
        files[f"OEBPS/{d.name}"] = XHTML.format(
            title=d.title, body_attrs=attrs, body=d.body
        ).encode()
    files["OEBPS/content.opf"] = opf.encode()
    if container:
        files["META-INF/container.xml"] = (
            b'<?xml version="1.0"?><container version="1.0" '
            b'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
            b'<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
            b"</rootfiles></container>"
        )
    files.update(extra or {})
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        for name, data in files.items():
            z.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return path


def chapter(n: int, words: int = 30, heading: str | None = None) -> str:
    """A chapter body: a heading and paragraphs of about ``words`` words."""
    head = f"<h2>{heading or f'Chapter {n}'}</h2>"
    sentence = f"Chapter {n} goes on quietly and the river keeps running past the mill."
    paras = []
    count = 0
    while count < words:
        paras.append(f"<p>{sentence}</p>")
        count += len(sentence.split())
    return head + "".join(paras)
