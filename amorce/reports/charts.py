"""The report's charts as SVG markup made on the server with pygal: no script, no style
element, no XML declaration, one <title>. The same string goes into the screen page and
the PDF.

Masked cells ("<5") and hidden ones (None) are left out of a chart: the table beside it
shows them."""

import cssselect2
import pygal
import tinycss2
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

from amorce.reports.codes import LABELS
from amorce.reports.definitions import BREAKDOWNS, key_label, ordered_cells
from amorce.reports.templatetags.report_format import count, euros, is_number, percent

FONT = "DejaVu Sans, Verdana, sans-serif"
INK = "#1b1b1b"
BRAND = "#0b5f6f"
WIDTH = 640
BAR_HEIGHT = 38  # px per bar, margins added
STYLE = Style(
    font_family=FONT,
    background="#ffffff",
    plot_background="#ffffff",
    foreground=INK,
    foreground_strong=INK,
    foreground_subtle="#c9c6bd",
    colors=(BRAND,),
    opacity="1",
    opacity_hover="1",
    # Large for a 640-wide drawing: it shrinks to half on a phone and to 140 mm in the PDF.
    title_font_size=20,
    label_font_size=17,
    major_label_font_size=17,
    value_font_size=17,
    value_colors=(INK,),
)
# The funnel's bars are centred by an invisible first series.
FUNNEL_STYLE = Style(**{**STYLE.to_dict(), "colors": ("transparent", BRAND)})


# The CSS properties SVG also takes as attributes, which pygal's stylesheet sets.
PRESENTATION_ATTRIBUTES = frozenset(
    {
        "fill",
        "fill-opacity",
        "font-family",
        "font-size",
        "font-weight",
        "opacity",
        "stroke",
        "stroke-dasharray",
        "stroke-opacity",
        "stroke-width",
        "text-anchor",
        "text-decoration",
    }
)


def style_as_attributes(root):
    """Replace pygal's <style> element by presentation attributes on the elements its
    rules match, so that the chart needs no inline style: the Content-Security-Policy
    (style-src 'self') blocks a <style> inside an inline SVG, whereas attributes such as
    fill="…" are not styles to it, and WeasyPrint draws them alike in the PDF.

    Rules apply in cascade order (!important, then specificity, then source order); what
    only a pointer or an animation would show (:hover, transitions) is dropped."""
    matcher = cssselect2.Matcher()
    for style in [
        node for node in root.iter() if node.tag == "style" or str(node.tag).endswith("}style")
    ]:
        rules = tinycss2.parse_stylesheet(
            style.text or "", skip_comments=True, skip_whitespace=True
        )
        for rule in rules:
            if rule.type != "qualified-rule":
                continue
            declarations = presentation(rule.content)
            if not declarations:
                continue
            try:
                selectors = cssselect2.compile_selector_list(rule.prelude)
            except cssselect2.SelectorError:
                continue
            for selector in selectors:
                if selector.pseudo_element is None:
                    matcher.add_selector(selector, declarations)
        for parent in root.iter():
            if style in list(parent):
                parent.remove(style)
                break
    for element in cssselect2.ElementWrapper.from_xml_root(root).iter_subtree():
        cascade = [
            (important, specificity, order, name, value)
            for specificity, order, _pseudo, declarations in matcher.match(element)
            for important, name, value in declarations
        ]
        node = element.etree_element
        # A style attribute (pygal's hidden tooltip) outranks every rule, and is blocked too.
        inline = node.attrib.pop("style", "")
        for *_rank, name, value in sorted(cascade) + presentation(inline):
            node.set(name, value)
    return root


def presentation(css: str) -> list[tuple]:
    """The presentation attributes among declarations: [(important, name, value)]."""
    return [
        (
            declaration.important,
            declaration.lower_name,
            tinycss2.serialize(declaration.value).strip(),
        )
        for declaration in tinycss2.parse_declaration_list(
            css, skip_comments=True, skip_whitespace=True
        )
        if declaration.type == "declaration" and declaration.lower_name in PRESENTATION_ATTRIBUTES
    ]


def one_image(root):
    """An XML filter of pygal: the chart becomes one image named by its <title>. Drops
    the config <script> pygal writes even without JS, the per-value tooltips (<desc>), the
    axis labels' <title>s (they would be read one by one) and the comments; its <style>
    becomes attributes (`style_as_attributes`)."""
    root.set("role", "img")
    root.set("aria-labelledby", f"{root.get('id')}-title")
    for parent in list(root.iter()):
        for child in list(parent):
            tag = child.tag if isinstance(child.tag, str) else "comment"
            name = tag.rsplit("}", 1)[-1]
            if name == "title" and parent is root:
                child.set("id", f"{root.get('id')}-title")
            elif name in ("script", "desc", "title", "comment"):
                parent.remove(child)
    return style_as_attributes(root)


COMMON = {
    "js": [],
    "disable_xml_declaration": True,
    "width": WIDTH,
    "show_legend": False,
    "show_x_guides": False,
    "show_y_guides": False,
    "show_x_labels": False,  # the value axis: each bar prints its value instead
    "margin": 8,
}
# The cohort funnel's bars: the journeys started, then each stage they reached.
FUNNEL_STAGES = (
    ("started", "Parcours commencés"),
    ("welcomed", "Accueillis"),
    ("emerging", "Amorcés"),
    ("oriented", "Orientés"),
    ("creating", "En création"),
    ("created", "Entreprise créée"),
)


class ValueAfterBar(pygal.HorizontalBar):
    """Horizontal bars whose value is written just after the bar's end, left-aligned
    (pygal centres it on the end, where it overlaps the bar)."""

    def _tooltip_and_print_values(
        self, serie_node, serie, parent, i, val, metadata, x, y, width, height
    ):
        # Horizontal charts swap the axes: the bar ends at `y` and is centred on x + width/2.
        self._static_value(serie_node, val, y + 6, x + width / 2, metadata, "start")


def horizontal_bars(
    title: str, rows: list[tuple[str, float]], formatter=count, scale_max=None
) -> str:
    """One bar per (label, value), top to bottom; empty when no value can be drawn.
    `scale_max` fixes the full scale (1 for shares), else the largest value sets it."""
    rows = [(label, value) for label, value in rows if is_number(value) and value > 0]
    if not rows:
        return ""
    chart = ValueAfterBar(
        style=STYLE,
        title=title,
        height=70 + BAR_HEIGHT * len(rows),
        print_values=True,
        formatter=formatter,
        # Room on the right for the longest printed value.
        range=(0, (scale_max or max(value for _, value in rows)) * 1.3),
        **COMMON,
    )
    chart.x_labels = [label for label, _ in reversed(rows)]  # pygal draws bottom-up
    chart.add(title, [value for _, value in reversed(rows)])
    return finish(chart)


def finish(chart) -> SafeString:
    chart.add_xml_filter(one_image)
    return mark_safe(chart.render(is_unicode=True))  # noqa: S308 — pygal escapes its texts


def breakdown_chart(title: str, cells: dict, kind: str, formatter=count) -> str:
    rows = [(key_label(kind, key), value) for key, value in ordered_cells(kind, cells)]
    return horizontal_bars(title, rows, formatter)


def cohort_funnel(funnel: dict | None) -> str:
    """Of the journeys started in the period, how many reached each stage by its end: bars
    centred and narrowing. Masked counts ("<5") are left out like in every chart."""
    if not funnel:
        return ""
    values = {"started": funnel["started"], **funnel["reached"]}
    rows = [
        (label, values[key])
        for key, label in FUNNEL_STAGES
        if is_number(values[key]) and values[key] > 0
    ]
    if not rows:
        return ""
    widest = max(value for _, value in rows)
    chart = pygal.HorizontalStackedBar(
        style=FUNNEL_STYLE,
        title="Du repérage à la création",
        height=70 + BAR_HEIGHT * len(rows),
        range=(0, widest),
        **COMMON,
    )
    chart.x_labels = [f"{label} : {count(value)}" for label, value in reversed(rows)]
    chart.add("", [(widest - value) / 2 for _, value in reversed(rows)])
    chart.add("Parcours", [value for _, value in reversed(rows)])
    return finish(chart)


def objective_label(item: dict, site_labels: dict | None = None) -> str:
    """« Entreprises créées, 2024 » (« …, 2024-2026 »; the site's name first over several)."""
    years = sorted({item["start"][:4], item["end"][:4]})
    label = f"{LABELS.get(item['indicator'], item['indicator'])}, {'-'.join(years)}"
    if "site" in item:
        label = f"{(site_labels or {}).get(item['site'], item['site'])} — {label}"
    return label


def objectives_chart(items: list[dict], site_labels: dict | None = None) -> str:
    """Each objective's rate of achievement (actual / target), 100 % the full scale unless
    one goes beyond; masked rates (None) are left out like every hidden cell."""
    rows = [(objective_label(item, site_labels), item["achieved"]) for item in items]
    known = [value for _, value in rows if is_number(value)]
    # A fifth more than the largest rate: room for its printed value beside long labels.
    scale = max([1, *known]) * 1.2
    return horizontal_bars("Taux de réalisation des objectifs", rows, percent, scale_max=scale)


def survival_chart(indicators: dict) -> str:
    rows = [
        (f"À {months} mois", indicators[f"survival_{months}m"]["value"]) for months in (12, 24, 36)
    ]
    return horizontal_bars("Entreprises encore actives", rows, percent, scale_max=1)


def build_charts(report: dict, site_labels: dict | None = None) -> dict[str, str]:
    """Chart name -> SVG markup; "" for a chart with nothing to draw (every key present).
    `site_labels` (slug -> name) names the sites of objectives over several sites."""
    indicators = report["indicators"]
    charts = {
        name: breakdown_chart(spec.title, indicators[spec.indicator][spec.cells], spec.kind)
        for name, spec in BREAKDOWNS.items()
    }
    charts["journey"] = cohort_funnel(report.get("funnel"))
    charts["financing_by_type"] = breakdown_chart(
        "Financements obtenus par type",
        indicators["financing_amount"]["by_type"],
        "financing",
        euros,
    )
    charts["survival"] = survival_chart(indicators)
    charts["objectives"] = objectives_chart(indicators["objectives"]["items"], site_labels)
    return charts
