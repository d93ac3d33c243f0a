// Keyboard use of the search box: "/" jumps to it, arrows move through results,
// Enter opens the highlighted patient, Escape closes the list.
(function () {
  "use strict";
  function results() {
    return Array.prototype.slice.call(document.querySelectorAll("#search-results a.result"));
  }
  function highlight(items, index) {
    items.forEach(function (item, i) { item.classList.toggle("active", i === index); });
    if (items[index]) { items[index].scrollIntoView({ block: "nearest" }); }
  }
  document.addEventListener("keydown", function (event) {
    var box = document.getElementById("patient-search");
    if (!box) { return; }
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
    if (event.key === "/" && !typing) {
      event.preventDefault();
      box.focus();
      box.select();
      return;
    }
    if (document.activeElement !== box) { return; }
    var items = results();
    var current = items.findIndex(function (item) { return item.classList.contains("active"); });
    if (event.key === "ArrowDown" && items.length) {
      event.preventDefault();
      highlight(items, Math.min(current + 1, items.length - 1));
    } else if (event.key === "ArrowUp" && items.length) {
      event.preventDefault();
      highlight(items, Math.max(current - 1, 0));
    } else if (event.key === "Enter" && current >= 0) {
      event.preventDefault();
      window.location.href = items[current].href;
    } else if (event.key === "Escape") {
      document.getElementById("search-results").innerHTML = "";
    }
  });
  // Results on screen belong to what was typed before: once the text changes, Enter must
  // not open one of them (it searches instead) until the new results arrive.
  document.addEventListener("input", function (event) {
    if (event.target && event.target.id === "patient-search") {
      results().forEach(function (item) { item.classList.remove("active"); });
    }
  });
  // The first result is highlighted as soon as results arrive, so Enter opens it.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target && event.target.id === "search-results") {
      var items = results();
      if (items.length) { highlight(items, 0); }
    }
  });
})();
