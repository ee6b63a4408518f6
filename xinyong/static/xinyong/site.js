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
