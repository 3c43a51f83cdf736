"""Stages 3–4: tailoring fills {{ clinic.* }} in the sandbox; templates escape everything."""

import json
from pathlib import Path

import pytest

from handouts.errors import HandoutError
from handouts.load import load_yaml
from handouts.model import Clinic, Topic, validate
from handouts.render import environment, render_page, rich
from handouts.labels import load_labels
from handouts.tailor import Patient, tailor, tailoring_context
from tests.helpers import MINIMAL_TOPIC, ROOT

CLINIC = Clinic(name="Bay & Hill <Clinic>", phone="555-0100")


def tailored(tmp_path: Path, summary: str, patient: Patient = Patient()) -> Topic:
    path = tmp_path / "topic.yaml"
    path.write_text(MINIMAL_TOPIC.replace("A short summary for the test.", json.dumps(summary)))
    document = load_yaml(path)
    return tailor(validate(Topic, document), document, tailoring_context(CLINIC, patient))


def test_clinic_and_patient_names_are_filled_in(tmp_path: Path) -> None:
    topic = tailored(tmp_path, "Call {{ clinic.name }} at {{ clinic.phone }}, {{ patient.name }}.", Patient("Ana"))
    assert topic.summary == "Call Bay & Hill <Clinic> at 555-0100, Ana."


def test_text_without_expressions_is_left_alone(tmp_path: Path) -> None:
    assert tailored(tmp_path, "Plain {text} & more.").summary == "Plain {text} & more."


def test_unknown_name_is_an_error_naming_file_line_and_variable(tmp_path: Path) -> None:
    with pytest.raises(HandoutError) as caught:
        tailored(tmp_path, "Call {{ clinc.phone }}.")
    error = caught.value
    assert error.file == tmp_path / "topic.yaml" and error.line == 3 and error.key == "summary"
    assert "'clinc.phone' is not a name you can use (did you mean 'clinic.phone'?)" in error.message
    assert "the names you can use are clinic.name, clinic.phone, patient.name" in error.message


def test_clinic_detail_missing_from_the_clinic_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(HandoutError) as caught:
        tailored(tmp_path, "Visit us at {{ clinic.address }}.")
    assert "'clinic.address' is not set in the clinic file; add 'address' there" in caught.value.message


@pytest.mark.parametrize(
    "escape",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ clinic.__class__ }}",
        "{{ lipsum.__globals__['os'] }}",
        "{% for c in ''.__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
        "{{ 'x' * 100000000000 }}",
        "{{ clinic }}",
    ],
)
def test_sandbox_escapes_and_code_are_refused_before_rendering(tmp_path: Path, escape: str) -> None:
    with pytest.raises(HandoutError) as caught:
        tailored(tmp_path, escape)
    assert caught.value.key == "summary"
    assert "not allowed" in caught.value.message or "is not a name you can use" in caught.value.message


@pytest.mark.parametrize("code", ["Take it {# with food #} daily.", "{% if patient.name %}Hi{% endif %}"])
def test_comments_and_statements_are_refused_not_dropped(tmp_path: Path, code: str) -> None:
    with pytest.raises(HandoutError) as caught:
        tailored(tmp_path, code)
    assert "starts template code or a comment, which is not allowed in content" in caught.value.message


def test_bad_expression_syntax_is_reported(tmp_path: Path) -> None:
    with pytest.raises(HandoutError) as caught:
        tailored(tmp_path, "Call {{ clinic.phone")
    assert "not valid" in caught.value.message and caught.value.line == 3


def test_rich_keeps_a_phone_number_on_one_line() -> None:
    assert str(rich("Call (555) 010-0142 or **(555) 010-0143**. (see) 3 items")) == \
        "Call (555)\u00a0010-0142 or <strong>(555)\u00a0010-0143</strong>. (see) 3 items"


def test_rich_escapes_markup_and_keeps_bold() -> None:
    assert str(rich("AT&T <b>x</b> **now**")) == "AT&amp;T &lt;b&gt;x&lt;/b&gt; <strong>now</strong>"


def test_template_escapes_every_field() -> None:
    env = environment(ROOT / "templates")
    topic = Topic.model_validate(
        {"title": "<i>T</i> & Co", "reviewed": "2026-01-02", "summary": "S", "sources": [{"org": "O", "title": "'Q'"}],
         "sections": [{"heading": "H", "bullets": ["<script>x</script>"]}]}
    )
    labels = load_labels(ROOT / "templates").for_language("en")
    page = render_page(env, {"topic": topic, "clinic": CLINIC, "patient": {"name": "<b>"}, "labels": labels})
    assert "&lt;i&gt;T&lt;/i&gt; &amp; Co" in page
    assert "&lt;script&gt;" in page and "<script>" not in page
    assert "Bay &amp; Hill &lt;Clinic&gt;" in page and "&lt;b&gt;" in page


def test_template_cannot_include_files_outside_templates(tmp_path: Path) -> None:
    (tmp_path / "evil.html.j2").write_text("<body>{% include '../clinic.yaml' %}</body>")
    with pytest.raises(HandoutError) as caught:
        render_page(environment(tmp_path), {}, "evil.html.j2")
    assert "not found" in caught.value.message
