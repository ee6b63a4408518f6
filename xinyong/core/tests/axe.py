"""The automated accessibility check of the browser tests: axe-core run on the page a test
is looking at.

axe-core is a test tool, never part of a page: ``scripts/bootstrap`` installs the version
pinned in ``package-lock.json`` into ``node_modules/`` (``npm ci``, integrity-checked, no CDN)
and :func:`violations` evaluates its script in the page through the browser's DevTools
protocol, which the page's Content-Security-Policy does not apply to, so the policy stays as
strict as in production.

Every rule axe-core runs by default (WCAG 2.0-2.2 A and AA, and its best practices) is run;
a violation whose impact is ``serious`` or ``critical`` fails the calling test, the others
are counted (:func:`tally`) so that a run shows what is left."""

from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings

AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
FAILING = ("serious", "critical")

# Runs axe on the whole document; answers each violated rule with its impact, its help text
# and up to five of the elements (CSS selectors) that break it, and the color-contrast
# details a person needs to fix it.
_RUN = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + (n.any[0] && n.any[0].data
      && n.any[0].data.contrastRatio ? ` (${n.any[0].data.fgColor} on ${n.any[0].data.bgColor}:`
      + ` ${n.any[0].data.contrastRatio}:1)` : "")),
  }));
}"""


@cache
def source() -> str:
    """axe-core's script, to evaluate in a page (or to add to a context's init scripts)."""
    if not AXE_JS.exists():
        pytest.fail(
            f"{AXE_JS} is missing: `XINYONG_BROWSER=1 scripts/bootstrap` installs axe-core "
            "(npm ci, the version in package-lock.json)"
        )
    return AXE_JS.read_text(encoding="utf-8")


def run(page) -> list[dict]:
    """Every rule axe-core breaks on the page as it is now (all impacts)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(source())
    return page.evaluate(_RUN)


def violations(page, where: str, seen: Counter | None = None) -> list[str]:
    """The serious and critical violations on the page, one line each, prefixed by
    ``where`` (role, URL, width); every violation (any impact) is also counted in ``seen``
    by rule and impact."""
    found = run(page)
    if seen is not None:
        for v in found:
            seen[(v["id"], v["impact"])] += v["count"]
    return [
        f"{where}: {v['id']} ({v['impact']}, {v['count']}×) {v['help']}: {'; '.join(v['nodes'])}"
        for v in found
        if v["impact"] in FAILING
    ]


def tally(seen: Counter) -> str:
    """The counted violations, most frequent first: what a run leaves below serious."""
    return ", ".join(f"{rule} ({impact}) {n}" for (rule, impact), n in seen.most_common())


class Checker:
    """Collects the serious and critical violations of the pages a test checks along its
    journey (the ``a11y`` fixture): ``a11y(page, "after upload")`` at each state worth a
    look (a result, a message, a form's errors), ``assert a11y.found == []`` at the end."""

    def __init__(self) -> None:
        self.found: list[str] = []
        self.seen: Counter = Counter()

    def __call__(self, page, where: str) -> None:
        self.found.extend(violations(page, where, self.seen))
