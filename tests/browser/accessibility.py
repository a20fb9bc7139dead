"""Run axe-core in the page and fail on serious or critical WCAG 2.1 A/AA violations."""

from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}

RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map((node) => node.target.join(" ")),
  }));
}"""


def axe_violations(page) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, which the page's Content-Security-Policy
        # does not govern; `add_script_tag` would insert an inline <script>, blocked.
        page.evaluate(AXE.read_text())
    return page.evaluate(RUN_AXE, WCAG_21_AA)


def assert_accessible(page):
    blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING]
    assert not blocking, f"axe-core sur {page.url} :\n" + "\n".join(
        f"- [{v['impact']}] {v['id']} : {v['help']} ({', '.join(v['targets'][:5])})"
        for v in blocking
    )
