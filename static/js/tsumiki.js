// Small behaviours the pages need, kept in this file so that the Content-Security-Policy can refuse
// every inline script and htmx can run without eval (config.settings.base, CONTENT_SECURITY_POLICY).
//
// <button data-remove-closest="tr" data-focus="add-skill">: removes the nearest ancestor that matches the
// selector and moves the focus to the element with that id (the "Add" control), so that a keyboard user
// is not left on a node that no longer exists. Without JavaScript the button does what its markup says
// (a submit button posts the form, which comes back without the row).
document.addEventListener("click", function (event) {
  var button = event.target.closest ? event.target.closest("[data-remove-closest]") : null;
  if (!button) return;
  var target = button.closest(button.getAttribute("data-remove-closest"));
  if (!target) return;
  event.preventDefault();
  var focus = document.getElementById(button.getAttribute("data-focus") || "");
  if (focus) focus.focus();
  target.remove();
});
