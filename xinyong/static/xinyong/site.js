// The pages' only script, served as a file so that the Content-Security-Policy can refuse
// every inline script and event handler. A <select data-autosubmit> (the language switcher,
// the data-quality page's department) submits its form when changed; without JavaScript
// the form's own button does.
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
    target.form.submit();
  }
});

// A table wider than the screen scrolls inside its own box (site.css, on a phone). A keyboard
// scrolls a box only once it has the focus, so such a table takes a place in the Tab order
// (then the arrow keys scroll it), and gives it back when the screen is wide enough again.
const keyboardScrolling = () => {
  for (const table of document.querySelectorAll("main table")) {
    const scrolls = table.scrollWidth > table.clientWidth + 1
      && getComputedStyle(table).overflowX !== "visible";
    if (scrolls && !table.hasAttribute("tabindex")) {
      table.setAttribute("tabindex", "0");
      table.dataset.scrollFocus = "";
    } else if (!scrolls && "scrollFocus" in table.dataset) {
      table.removeAttribute("tabindex");
      delete table.dataset.scrollFocus;
    }
  }
};
keyboardScrolling();
window.addEventListener("resize", keyboardScrolling);
