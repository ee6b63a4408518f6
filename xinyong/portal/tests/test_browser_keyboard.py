"""By keyboard alone, in a real Chromium: the home page's every control is reached with Tab,
in order, each showing where the focus is; a subject is searched for and opened; a clerk signs
in and fills in and submits a back-office form (first wrongly, then rightly) without a mouse.

"Showing where the focus is" is checked twice: the focused element has a ring (an outline at
least 2 px wide, or a shadow) and is on screen, and the pixels around it differ from the same
place once the focus has left — the ring is seen, not only declared. axe-core checks the
states a form passes through (its errors, its result)."""

import re

import pytest

from xinyong.conftest import HUAWEI

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True,
                                                         databases=["default", "hot"])]  # fmt: skip
PASSWORD = "Xinyong-demo-2026"

# The focused element: what it is, whether a ring is drawn around it, where it is on the page.
CONTROLS = "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]"
FOCUSED = """() => {
  const CONTROLS = "__CONTROLS__";
  const e = document.activeElement;
  if (!e || e === document.body || e === document.documentElement) return null;
  const s = getComputedStyle(e);
  const r = e.getBoundingClientRect();
  const ring = (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2
      && s.outlineColor !== "rgba(0, 0, 0, 0)") || s.boxShadow !== "none";
  return {
    what: `${e.tagName.toLowerCase()}${e.name ? "[name=" + e.name + "]" : ""} «${(e.innerText
      || e.value || e.getAttribute("aria-label") || "").trim().slice(0, 16)}»`,
    ring,
    // its place among the page's controls, to focus it again (see rings_seen)
    index: [...document.querySelectorAll(CONTROLS)].indexOf(e),
    // (scrolled into view: at least half of it, as a date field's inner part may be all)
    onScreen: r.width > 0 && r.height > 0 && r.left >= 0 && r.right <= innerWidth
      && Math.min(r.bottom, innerHeight) - Math.max(r.top, 0) >= r.height / 2,
    box: { x: r.left + scrollX - 6, y: r.top + scrollY - 6, width: r.width + 12,
      height: r.height + 12 },
  };
}""".replace("__CONTROLS__", CONTROLS)
# Every control a person can reach on the page as it is drawn (not hidden, not disabled).
REACHABLE = f"""() => [...document.querySelectorAll("{CONTROLS}")]
  .filter((e) => e.tabIndex >= 0 && !e.disabled && e.getClientRects().length
    && getComputedStyle(e).visibility !== "hidden").length"""


# Two animation frames: the focus change painted before the picture (a busy machine may
# otherwise take it from the frame before; seen once under load).
PAINTED = "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"


def _area(page, box: dict) -> bytes:
    page.evaluate(PAINTED)
    return page.screenshot(clip=box, full_page=True, animations="disabled", caret="hide")


def tab_until(page, done, limit: int = 60) -> list[dict]:
    """Presses Tab until ``done(stop)`` holds for the focused element; every stop on the way
    must show its focus (a ring, on screen). Returns the stops with a picture
    of the area around each."""
    stops, problems = [], []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        if stop is None:
            break
        stop["picture"] = _area(page, stop["box"])
        stops.append(stop)
        if not (stop["ring"] and stop["onScreen"]):
            problems.append({k: stop[k] for k in ("what", "ring", "onScreen", "box")})
        if done(stop):
            break
    else:
        pytest.fail(f"Tab never reached the end: {[s['what'] for s in stops]}")
    assert not problems, f"focus not shown on {problems}"
    return stops


BLUR = "document.activeElement && document.activeElement.blur()"
REFOCUS = f"""(i) => document.querySelectorAll("{CONTROLS}")[i].focus({{focusVisible: true}})"""


def rings_seen(page, stops: list[dict]) -> None:
    """The focus gone, the area around each stop looks different: the ring was drawn.

    A stop whose two pictures are equal is focused once more and pictured again after a
    pause: on a busy machine the focused picture was, now and then, a frame too early. A ring
    that is not drawn is unchanged both times."""
    page.evaluate(BLUR)
    unchanged = [s for s in stops if _area(page, s["box"]) == s["picture"]]
    still = []
    for stop in unchanged:
        page.evaluate(REFOCUS, stop["index"])
        page.wait_for_timeout(200)
        focused = _area(page, stop["box"])
        page.evaluate(BLUR)
        page.wait_for_timeout(200)
        if _area(page, stop["box"]) == focused:
            still.append(stop["what"])
    assert not still, f"no visible change when focused: {still}"


def test_home_page_by_keyboard(live_server, page, org_with_rep, a11y):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/")
    # The first stop is the link past the header, shown once it has the focus.
    stops = tab_until(page, lambda s: True)
    assert "跳到正文" in stops[0]["what"]
    # Then every control of the page, in order, and out of the page at the end.
    stops += tab_until(page, lambda s: False)
    assert len(stops) == page.evaluate(REACHABLE), [s["what"] for s in stops]
    rings_seen(page, stops[1:])  # (the skip link leaves the screen with the focus)


def test_search_and_open_a_subject_by_keyboard(live_server, page, org_with_rep, a11y):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the skip link: the next Tab is in the page's content
    tab_until(page, lambda s: s["what"].startswith("input[name=q]"))
    page.keyboard.type("华为")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?(.*&)?q="))  # the tab's kind comes first
    tab_until(page, lambda s: "华为技术有限公司" in s["what"])
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/subjects/{org_with_rep.pk}/")
    assert page.locator("h1").inner_text() == "华为技术有限公司"
    a11y(page, "the subject, reached by keyboard")
    assert a11y.found == []


def test_back_office_form_by_keyboard(live_server, page, org_with_rep, a11y):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/backoffice/login/")
    tab_until(page, lambda s: s["what"].startswith("input[name=username]"))
    page.keyboard.type("market_clerk")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/backoffice/")

    # The report form: from the skip link through every field to the button.
    page.goto(live_server.url + "/backoffice/reports/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    stops = tab_until(page, lambda s: s["what"].startswith("input[name=uscc]"))
    page.keyboard.type("91440300MA5")  # too short: refused, the error next to the field
    stops += tab_until(page, lambda s: s["what"].startswith("button") and "出具报告" in s["what"])
    rings_seen(page, stops)
    page.locator("main form.stack button[type=submit]").focus()
    page.keyboard.press("Enter")
    error = page.locator("main form.stack .field-error").first
    error.wait_for()
    assert error.inner_text().strip()
    a11y(page, "the report form with an error")

    # Rightly this time: the code, the kind (arrow keys in the radio group), the purpose.
    page.locator("input[name=uscc]").focus()
    page.keyboard.press("Control+a")
    page.keyboard.type(HUAWEI)
    tab_until(page, lambda s: s["what"].startswith("input[name=kind]"))
    kind = "document.querySelector('input[name=kind]:checked').value"
    chosen = page.evaluate(kind)
    page.keyboard.press("ArrowDown")
    assert page.evaluate(kind) != chosen
    page.keyboard.press("ArrowUp")  # back on the review report
    assert page.evaluate(kind) == chosen == "review"
    tab_until(page, lambda s: s["what"].startswith("select[name=purpose_choice]"))
    page.keyboard.press("ArrowDown")  # the first purpose
    assert page.locator("select[name=purpose_choice]").input_value() != ""
    page.keyboard.press("Tab")
    page.keyboard.type("市政务云采购项目投标人审查")
    page.keyboard.press("Enter")
    page.wait_for_selector(".check-result")
    assert "已出具" in page.locator(".check-result h2").inner_text()
    a11y(page, "the report issued")
    assert a11y.found == []
