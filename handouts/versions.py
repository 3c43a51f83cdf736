"""The HTML and plain-text versions of a handout, made beside its PDF (``--format html,txt``).

Both run the pipeline's first stages (:func:`pipeline.render_handout`: load, validate,
tailor, render) and write the parsed XHTML the PDF is laid out from, with :mod:`html_out`
and :mod:`text_out`. The pictures the template shows (the clinic's logo) are read here, at
the edge: a PNG scaled as for print, or the SVG.

A browser cannot shrink a page to fit paper, and may set it in a wider font than the PDF's
(the font is not embedded). So the page prints at the size the PDF's own fit finds for a
page :data:`WIDER_FONT` times narrower: one page (large print: two) even in Verdana.

For other ways out: :func:`handout_html` and :func:`handout_text` give one handout's page or
text in memory (a web preview); ``picture_src`` lets a caller refer to its logo as an
attachment (``cid:``) instead of a ``data:`` URI. :func:`page_fragment` and :func:`page_text`
give a rendered handout as one part of a message that carries several (an email).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass

from .html_out import Picture, to_fragment, to_html
from .images import WebPicture, web_picture
from .markup import picture_height, picture_path
from .layout import Overflow, fit_to_page, frame_size, scales
from .pipeline import Options, Page, Project, TopicFile, render_handout, too_big_to_email
from .sheet import Scale
from .text_out import to_text
from .verify import plain


WIDER_FONT = 1.2
"""How much wider than the theme's font a reader's font may set the same words (DejaVu Sans
and Verdana set them about 17% wider than Atkinson Hyperlegible)."""


def data_uri(picture: WebPicture) -> str:
    """The picture inside the page itself: ``data:image/png;base64,…`` (no request to make)."""
    return f"data:{picture.media_type};base64,{base64.b64encode(picture.data).decode('ascii')}"


def handout_html(project: Project, topic_file: TopicFile, options: Options, *,
                 picture_src: Callable[[WebPicture], str] = data_uri) -> str:
    """One handout as a standalone HTML page; raises HandoutError as :func:`pipeline.build_handout` does."""
    return page_html(project, render_handout(project, topic_file, options), options, picture_src=picture_src)


def page_html(project: Project, page: Page, options: Options, *,
              picture_src: Callable[[WebPicture], str] = data_uri) -> str:
    """The HTML of a rendered handout; each picture's ``src`` is ``picture_src`` of it."""
    pictures = {}
    for image in page.root.iter("img"):
        shown = web_picture(picture_path(image, page.template, project.image_folders), picture_height(image),
                            page.theme.pictures == "gray")
        pictures[image.get("src", "")] = Picture(picture_src(shown), shown.width, shown.height)
    return to_html(page.root, page.theme, lang=page.topic.language, title=plain(page.topic.title),
                   paper=options.paper, printed=print_scale(project, page, options), pictures=pictures,
                   template=page.template)


def print_scale(project: Project, page: Page, options: Options) -> Scale:
    """The scale to print the page at: the largest at which the PDF's fit, with lines and
    blocks as tightly spaced as the theme allows, puts it on its page budget in a frame
    :data:`WIDER_FONT` times narrower; the floor for a topic too long even so."""
    start = page.theme.type
    tight = start.model_copy(update={"leading": start.tight_leading, "spacing": start.tight_spacing})
    width, height = frame_size(options.paper, page.theme)
    try:
        fitted = fit_to_page(page.root, page.theme, project.family, (width / WIDER_FONT, height), page.template,
                             pages=options.page_budget, image_folders=project.image_folders, type_scale=tight)
    except Overflow:
        return scales(tight)[-1]
    return fitted.scale


def handout_text(project: Project, topic_file: TopicFile, options: Options) -> str:
    """One handout as plain text, wrapped at 72 characters."""
    return page_text(render_handout(project, topic_file, options))


def page_text(page: Page, *, header: bool = True) -> str:
    """The text of a rendered handout; ``header=False`` leaves out the clinic's name and phone
    (for an email, which names them once for all its handouts)."""
    return to_text(page.root, template=page.template, header=header)


def page_fragment(page: Page, *, level: int = 2, ids: str = "") -> str:
    """A rendered handout as one part of a larger HTML page, such as an email carrying
    several: see :func:`html_out.to_fragment`."""
    return to_fragment(page.root, page.theme, lang=page.topic.language, level=level, ids=ids, template=page.template)


@dataclass(frozen=True)
class Version:
    """A built HTML or text file: its bytes and what the summary and manifest show."""

    data: bytes
    warnings: list[str]
    pages: int | None = None
    body_size: float | None = None


def build_version(project: Project, topic_file: TopicFile, options: Options, kind: str) -> Version:
    """The ``html`` or ``txt`` file of one handout (UTF-8)."""
    page = render_handout(project, topic_file, options)
    if kind == "html":
        data = page_html(project, page, options).encode("utf-8")
    else:
        data = page_text(page).encode("utf-8")
    return Version(data, too_big_to_email(data, kind.upper()))
