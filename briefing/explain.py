"""Human-readable accounts of what the cleaner removed and what the extractor found."""

from __future__ import annotations

from collections import defaultdict

from .models import CleanText, Report, SourceFile

# How `explain --rules` marks what each entry of the date decision list said.
_MARKS = {"decided": "✓", "read": "+", "no": "·"}

EXAMPLES_PER_RULE = 5


def describe_cleaning(source: SourceFile, cleaned: CleanText) -> str:
    lines = [f"── {source.path}: {source.encoding}, {source.size} bytes, {source.kind}"]
    if cleaned.converted:
        lines.append(f"Traditional → Simplified: {cleaned.converted} characters converted (OpenCC t2s)")
    by_rule: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for removal in cleaned.removals:
        by_rule[removal.rule].append((removal.line, removal.text))
    if not by_rule:
        lines.append("removed: nothing")
    for rule, items in by_rule.items():
        lines.append(f"removed [{rule}] ×{len(items)}")
        for line, text in items[:EXAMPLES_PER_RULE]:
            shown = text if len(text) <= 60 else text[:57] + "…"
            lines.append(f"    line {line}: {shown}")
        if len(items) > EXAMPLES_PER_RULE:
            lines.append(f"    … and {len(items) - EXAMPLES_PER_RULE} more")
    meta = cleaned.meta
    kept = [
        ("byline", meta.bylines),
        ("outlet", meta.outlets),
        ("publication line", (meta.published,) if meta.published else ()),
        ("page date header", meta.page_dates),
        ("column", meta.columns),
    ]
    for label, values in kept:
        for value in values:
            lines.append(f"kept as metadata [{label}]: {value}")
    for warning in cleaned.warnings:
        lines.append(f"warning: {warning}")
    return "\n".join(lines)


def describe_report(report: Report) -> str:
    d, g, src = report.date, report.region, report.source
    lines = [
        f"file:     {src.path} ({src.encoding}, collected {src.collected:%Y-%m-%d %H:%M})",
        f"title:    {report.title}",
        f"          rule: {report.title_rule}",
        *([f"          id:   {report.title_rule_id}"] if report.title_rule_id else []),
        f"date:     {d.iso or 'unknown'} (confidence {d.confidence})",
        f"          rule: {d.rule}",
    ]
    if d.rule_ids:
        lines.append(f"          ids:  {' → '.join(d.rule_ids)}")
    if d.evidence:
        lines.append(f"          from: {d.evidence}")
    for ref in report.time_refs:
        lines.append(f"          {ref.text} = {ref.resolved}")
    lines.append(f"region:   {g.label()}")
    if g.rule_ids:
        lines.append(f"          ids:  {' → '.join(g.rule_ids)}")
    for item in g.evidence:
        lines.append(f"          {item}")
    for label, values in (("byline", report.meta.bylines), ("outlet", report.meta.outlets)):
        if values:
            lines.append(f"{label + ':':<10}{'；'.join(values)}")
    if report.officials:
        lines.append("officials:")
        for o in report.officials:
            roles = f" ({'、'.join(o.roles)})" if o.roles else ""
            ids = f"  [{', '.join(o.rule_ids)}]" if o.rule_ids else ""
            lines.append(f"          {o.title}{o.name}{roles}{ids}")
    if report.figures:
        lines.append("figures:")
        for f in report.figures:
            ids = f"  [{', '.join(f.rule_ids)}]" if f.rule_ids else ""
            lines.append(f"          {f.text}（{f.kind}）  ← {f.context}{ids}")
    if report.summary:
        lines.append(f"summary:  {report.summary.text} [{report.summary.backend}]")
    for warning in report.warnings:
        lines.append(f"warning:  {warning}")
    return "\n".join(lines)


def describe_date_rules(report: Report, headline: str = "") -> str:
    """The date decision list in order, with what each entry said for this report: ✓ decided,
    + read the day, ✗ vetoed, · did not apply, blank: not reached. Then the rules the deciding
    one consulted (where the publication date or the year came from)."""
    from .extract.catalog import rule
    from .extract.dates import DATE_DECISIONS, walk_date
    from .extract.doc import Doc

    doc = Doc.parse(headline, report.body, report.meta, report.source.html_date)
    date, walk = walk_date(doc, report.source.collected)
    lines = [f"date rules, in order (✓ decided, + read the day, ✗ vetoed, · did not apply): {date.iso or '—'}"]
    for decision in DATE_DECISIONS:
        status = walk.statuses.get(decision.rule_id, "")
        mark = "✗" if status.startswith("vetoed") else _MARKS.get(status, " ")
        by = f" [{status.removeprefix('vetoed: ')}]" if status.startswith("vetoed: ") else ""
        lines.append(f"  {mark} {decision.rule_id:<34}{rule(decision.rule_id).reason}{by}")
    listed = {d.rule_id for d in DATE_DECISIONS}
    consulted = [rule_id for rule_id in date.rule_ids if rule_id not in listed]
    if consulted:
        lines.append("consulted:")
        lines.extend(f"  + {rule_id:<34}{rule(rule_id).reason}" for rule_id in consulted)
    return "\n".join(lines)


def rule_reason(rule_id: str) -> str:
    """The one-line reason of any rule of extract/: the catalog's (date, title, official, figure)
    or the region rules' and features' (region_features)."""
    from .extract.catalog import catalog
    from .extract.region_features import FEATURE_REASONS, RULE_REASONS

    known = catalog().get(rule_id)
    if known is not None:
        return known.reason
    return RULE_REASONS.get(rule_id) or FEATURE_REASONS.get(rule_id) or "(no reason recorded)"


def describe_fact_rules(report: Report) -> str:
    """Every rule that decided a fact of the report, fact by fact, in the order it took part, by
    id and reason."""
    facts: list[tuple[str, tuple[str, ...]]] = [
        ("title", (report.title_rule_id,) if report.title_rule_id else ()),
        ("date", report.date.rule_ids),
        ("region", report.region.rule_ids),
        *((f"official {o.title}{o.name}", o.rule_ids) for o in report.officials),
        *((f"figure {f.text}", f.rule_ids) for f in report.figures),
    ]
    lines = ["rules that decided each fact, in order:"]
    for fact, ids in facts:
        lines.append(f"  {fact}")
        lines.extend(f"    {rule_id:<36}{rule_reason(rule_id)}" for rule_id in ids)
        if not ids:
            lines.append("    (no rule recorded)")
    return "\n".join(lines)
