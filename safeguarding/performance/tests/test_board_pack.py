"""The board pack PDF: a cover, the RAG summary and indicators, every register's figures for
the period's financial year with its charts beside its tables, and the overdue actions.

No PDF reader is installed (pypdf, pdfminer): the PDF is checked to open as one, and the
HTML that WeasyPrint prints is checked for what the board reads.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape

from conftest import make_user
from safeguarding.actions import services as action_services
from safeguarding.core import registers
from safeguarding.core.periods import Period
from safeguarding.performance import services
from safeguarding.performance.board_pack import board_pack_html

from .conftest import enter_value

Q1 = Period.parse("2016-Q1")


def _figures_modules() -> dict[str, str]:
    """Reader of every register with figures, so that every chapter is in the pack."""
    return {reg.module: "reader" for reg, _chapter in registers.chapters()}


@pytest.fixture
def chair(council):
    """The business unit's lead who sends the pack: figures everywhere, and the actions."""
    return make_user(
        "chair@example.org",
        council,
        {**_figures_modules(), "performance": "reader", "actions": "officer"},
    )


@pytest.fixture
def overdue_action(lead, cgas, trust):
    return action_services.action_create(
        acting_user=lead,
        source=cgas,
        source_label="CAMHS-2 recovery plan",
        description="Audit the recording of paired CGAS scores",
        owning_agency=trust,
        due_date=dt.date.today() - dt.timedelta(days=10),
        owner_person="A named lead",
    )


@pytest.fixture
def q1_figures(lead, cgas, group, trust):
    """CAMHS-2 red in Q1; a yearly indicator with a target and no data; one without."""
    enter_value(lead, cgas, period="2016-06", value=Decimal("92.5"))
    services.benchmark_save(
        acting_user=lead, indicator=cgas, year="2016-17", kind="england", value=Decimal("93.1")
    )
    for reference, target in (("EH-1", Decimal(40)), ("EH-2", None)):
        indicator = services.indicator_save(
            acting_user=lead,
            indicator=None,
            reference=reference,
            name=f"Early help {reference}",
            group=group,
            owning_agency=trust,
            frequency="yearly",
            polarity="higher",
            target=target,
        )
        if target is None:
            enter_value(lead, indicator, period="2016-17", value=Decimal(12))


def test_the_board_pack_opens_as_a_pdf(client_for, chair, q1_figures, overdue_action):
    response = client_for(chair).get(reverse("performance:dashboard_pdf"), {"period": "2016-Q1"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="board-pack-2016-Q1.pdf"'
    assert response.content.startswith(b"%PDF")


def test_the_pack_has_its_cover_rag_summary_indicators_chapters_and_overdue_actions(
    chair, q1_figures, overdue_action
):
    html = board_pack_html(Q1, user=chair)
    cover = html[: html.index('<section class="summary-part">')]
    assert escape(settings.PARTNERSHIP_NAME) in cover
    assert "Performance framework: board pack 2016-Q1" in cover
    assert "Q1 2016-17 (April to June 2016)" in cover and "2016-17" in cover

    summary = html[html.index("RAG summary, 2016-Q1") :]
    counts = re.findall(r'<td class="num (\w+)">(\d+)</td>', summary[: summary.index("</table>")])
    assert counts == [("red", "1"), ("amber", "0"), ("green", "0"), ("no_data", "1")] + [
        ("no_target", "1")
    ]
    camhs = summary[summary.index("CAMHS-2 Paired CGAS recorded (2016-06)") :]
    camhs = camhs[: camhs.index("</tr>")]
    assert "92.5%" in camhs and "95%" in camhs and "Red" in camhs and "93.1%" in camhs
    no_data = summary[summary.index("EH-1 Early help EH-1") :]
    assert ">No data" in no_data[: no_data.index("</tr>")]
    no_target = summary[summary.index("EH-2 Early help EH-2") :]
    assert ">No target" in no_target[: no_target.index("</tr>")]

    shown = registers.chapters()
    assert len(shown) >= 6
    for reg, chapter in shown:
        assert f'<h2 class="chapter-title">{escape(chapter.title)}, 2016-17</h2>' in html, reg
        section = html[html.index(f'id="chapter-{reg.slug}"') :]
        section = section[: section.index("</section>")]
        # Each chart is drawn in (no fetch), in its chapter, with the tables of its figures.
        charts = section.count('src="data:image/svg+xml;base64,')
        assert charts == len(reg.figures.charts), reg.slug
        assert "<table" in section
    assert "Not in this pack" not in html

    actions = html[html.index('id="overdue-actions"') :]
    assert "Audit the recording of paired CGAS scores" in actions
    assert overdue_action.reference in actions and "CAMHS-2 recovery plan" in actions
    assert "A named lead" not in html  # an owner's name is not the board's business


def test_what_the_pack_shows_follows_the_readers_grants(board, council, q1_figures, overdue_action):
    """The demo's board member reads figures: the action plans' counts, not the actions;
    a register's chapter only with its figures."""
    html = board_pack_html(Q1, user=board)  # performance reader only
    assert "Audit the recording" not in html
    assert "you do not have access to action plans" in html
    assert "Not in this pack (you do not have access to these figures):" in html
    assert '<h2 class="chapter-title">' not in html
    counts_only = make_user(
        "counts@example.org", council, {"performance": "reader", "actions": "reader"}
    )
    html = board_pack_html(Q1, user=counts_only)
    actions = html[html.index('id="overdue-actions"') :]
    assert "1 action overdue" in actions and "CAMHS Trust" in actions
    assert "Audit the recording" not in actions and overdue_action.reference not in actions


def test_the_command_line_html_is_the_whole_board_pack(q1_figures, overdue_action, capsys):
    call_command("report", "performance", "--period", "2016-Q1", "--format", "html")
    html = capsys.readouterr().out
    assert "Performance framework: board pack 2016-Q1" in html
    for _reg, chapter in registers.chapters():
        assert escape(chapter.title) in html
    assert "Audit the recording of paired CGAS scores" in html
