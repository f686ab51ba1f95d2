"""Extract: cleaned text -> the facts of a report (title, date, region, officials, figures)."""

from __future__ import annotations

from ..models import CleanText, Report, SourceFile
from ..text import NO_DATE_FOUND, NO_REGION_FOUND
from .catalog import message
from .dates import resolve_date, resolve_relative
from .figures import find_figures
from .officials import find_officials
from .regions import resolve_region
from .title import choose_card_title, derive_lead, find_meeting, read_title

DERIVED_HEADLINE = "title.read.derived_first_sentence"


def _own_headline(headline: str, rule_id: str) -> str:
    """The page's own headline, "" when the page has none (a title made from the first sentence is
    body text, not a headline)."""
    return "" if rule_id == DERIVED_HEADLINE else headline


def page_headline(cleaned: CleanText, source: SourceFile) -> str:
    """The page's own headline as the facts read it (brief explain walks the date rules again)."""
    headline, rule_id, _lines, _body = read_title(cleaned.text, source.html_title)
    return _own_headline(headline, rule_id)


def extract_report(source: SourceFile, cleaned: CleanText) -> Report:
    # The facts read the headline as split_title finds it (`read_title`); the card shows the
    # headline without the page's furniture, or one made from the lead (choose_card_title).
    headline_read, read_rule_id, _lines, body = read_title(cleaned.text, source.html_title)
    own = _own_headline(headline_read, read_rule_id)
    date = resolve_date(body, cleaned.meta, source.collected, source.html_date, own)
    headline = own or derive_lead(body)
    region = resolve_region(headline, body, cleaned.meta.outlets)
    warnings = list(cleaned.warnings)
    if date.iso is None:
        warnings.append(NO_DATE_FOUND)
    elif date.confidence == "low":
        warnings.append(f"日期{date.display()}的年份不确定：{date.rule}")
    if not region.path():
        warnings.append(NO_REGION_FOUND)
    officials = find_officials(body, headline_read)
    title, title_rule_id, title_fields = choose_card_title(cleaned.text, source.html_title, region, officials)
    return Report(
        source=source,
        body=body,
        title=title,
        title_rule=message(title_rule_id, **title_fields),
        title_rule_id=title_rule_id,
        meeting=find_meeting(body),
        time_refs=resolve_relative(body, date),
        date=date,
        region=region,
        meta=cleaned.meta,
        officials=officials,
        figures=find_figures(body),
        warnings=tuple(warnings),
        removals=cleaned.removals,
    )
