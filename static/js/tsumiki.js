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

// The shortlist's candidate panel (#panel, filled by htmx from a row's "Details" link). When it opens,
// the keyboard focus moves to its heading and a Close button appears; Close or Escape closes it (on a
// narrow screen, where it lies over the list like a sheet) and gives the focus back to the link that
// opened it, so a keyboard user never has to tab back through the rows.
(function () {
  var opener = null;
  function panel() { return document.getElementById("panel"); }
  function close() {
    var p = panel();
    if (!p || !p.classList.contains("is-open")) return;
    p.classList.remove("is-open");
    document.documentElement.classList.remove("panel-open");
    if (opener && document.body.contains(opener)) opener.focus();
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[hx-target='#panel']") : null;
    if (link) opener = link;
    if (event.target.closest && event.target.closest("[data-panel-close]")) {
      event.preventDefault();
      close();
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") close();
  });
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var p = panel();
    if (!p || event.detail.target !== p) return;
    p.classList.add("is-open");
    document.documentElement.classList.add("panel-open");
    if (!p.querySelector("[data-panel-close]")) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button-small button-quiet panel-close";
      button.setAttribute("data-panel-close", "");
      button.textContent = p.getAttribute("data-close-label") || "Close";
      p.insertBefore(button, p.firstChild);
    }
    var heading = p.querySelector("h2") || p;
    heading.setAttribute("tabindex", "-1");
    heading.focus();
    // on a wide screen the panel is a sticky column; bring it into view beside the row
    if (p.getBoundingClientRect().top < 0 || p.getBoundingClientRect().top > window.innerHeight) {
      p.scrollIntoView({block: "start"});
    }
  });
})();

// The shortlist's phone folds (details.phone-fold: filters, bulk actions, why this order) are shown
// unfolded on a wide screen through CSS (::details-content); where a browser does not support that
// pseudo-element, open them here on a wide screen so that nothing hides behind a summary the
// stylesheet hides there.
(function () {
  var supported = window.CSS && CSS.supports && CSS.supports("selector(::details-content)");
  if (supported || !window.matchMedia || !window.matchMedia("(min-width: 701px)").matches) return;
  var all = document.querySelectorAll("details.phone-fold");
  for (var i = 0; i < all.length; i++) all[i].open = true;
})();
