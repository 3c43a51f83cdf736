"""Stage 5: the fit shrinks evenly, measures without drawing, and stops at the floor."""


from concurrent.futures import ThreadPoolExecutor

from handouts.layout import fit_to_page, frame_size, scales
from handouts.markup import parse_page
from handouts.pipeline import Options, Project, build_handout, discover
from handouts.sheet import style_sheet
from handouts.tailor import Patient
from handouts.theme import TypeScale
from tests.helpers import ROOT


def test_scales_go_from_start_size_to_floor_tightening_on_the_way() -> None:
    steps = scales(TypeScale(body=13, floor=11, step=0.5, leading=1.3, tight_leading=1.2, spacing=1, tight_spacing=0.5))
    assert [s.body for s in steps] == [13, 12.5, 12, 11.5, 11]
    assert steps[0].leading == 1.3 and abs(steps[-1].leading - 1.2) < 1e-9
    assert all(a.spacing > b.spacing for a, b in zip(steps, steps[1:]))


def page(paragraphs: int) -> str:
    body = "".join(f"<p>Paragraph {i} has a few words in it to take up a line or so of space.</p>" for i in range(paragraphs))
    return f"<body><h1>Title</h1>{body}</body>"


def fit(paragraphs: int):
    project = Project.open(ROOT / "templates", ROOT / "clinic.yaml")
    template = ROOT / "templates" / "handout.html.j2"
    return fit_to_page(parse_page(page(paragraphs), template), project.theme, project.family,
                       frame_size("letter", project.theme), template)


def test_short_page_fits_at_start_size_in_one_pass() -> None:
    fitted = fit(5)
    assert fitted.scale.body == 13 and fitted.passes == 1 and fitted.slack > 0


def test_crowded_page_shrinks_by_bisection() -> None:
    fitted = fit(36)
    assert 11 <= fitted.scale.body < 13
    assert fitted.passes <= 5  # 9 candidate sizes: the ends, then bisection


def in_new_thread(work):
    """Run ``work`` on a thread of its own, which starts with no layout kept from other builds."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(work).result()


def test_a_copy_laid_out_from_kept_flowables_is_byte_identical_to_a_fresh_one() -> None:
    project = Project.open(ROOT / "templates", ROOT / "clinic.yaml")

    def build(topic, name: str) -> bytes:
        return build_handout(project, topic, Options(patient=Patient(name=name))).data

    for topic in discover(ROOT / "content", ["diet-vitamin-d", "quit-smoking"]):
        fresh = in_new_thread(lambda: build(topic, "Zoë Example"))
        for name in ("Ana Díaz", "", "Bartholomew Featherstonehaugh-Wolfeschlegel"):
            build(topic, name)
        assert build(topic, "Zoë Example") == fresh


def test_style_sheets_are_kept_per_thread() -> None:
    project = Project.open(ROOT / "templates", ROOT / "clinic.yaml")
    args = (project.theme, project.family, scales(project.theme.type)[0], 500.0)
    assert style_sheet(*args) is style_sheet(*args)
    assert in_new_thread(lambda: style_sheet(*args)) is not style_sheet(*args)
