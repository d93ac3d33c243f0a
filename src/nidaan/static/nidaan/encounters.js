// The consultation screen by keyboard and by tap: complaint and duration quick picks,
// follow-up date picks, Ctrl+S saves the draft, arrows walk the ICD-10 results, a
// correction form closes with Cancel or Escape.
(function () {
  "use strict";

  function complaintsBox() {
    return document.getElementById("id_complaints_text");
  }

  function appendComplaint(text) {
    var box = complaintsBox();
    if (!box) { return; }
    var value = box.value.replace(/[ \t]+$/, "");
    if (value && !/\n$/.test(value)) { value += "\n"; }
    box.value = value + text + " ";
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
  }

  function appendDuration(text) {
    var box = complaintsBox();
    if (!box) { return; }
    var value = box.value.replace(/\s+$/, "");
    box.value = value + (value ? " " : "") + text + "\n";
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
  }

  function setFollowUp(days) {
    var input = document.getElementById("id_follow_up_date");
    if (!input) { return; }
    var day = new Date();
    day.setDate(day.getDate() + days);
    function two(n) { return (n < 10 ? "0" : "") + n; }
    input.value = two(day.getDate()) + "-" + two(day.getMonth() + 1) + "-" + day.getFullYear();
    input.focus();
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("button, a") : null;
    if (!target) { return; }
    if (target.dataset.complaint) {
      appendComplaint(target.dataset.complaint);
    } else if (target.dataset.duration) {
      appendDuration(target.dataset.duration);
    } else if (target.dataset.followUpDays) {
      setFollowUp(parseInt(target.dataset.followUpDays, 10));
    } else if (target.hasAttribute("data-cancel-correction")) {
      var area = target.closest(".fix-area");
      if (area) {
        event.preventDefault();
        area.innerHTML = "";
      }
    }
  });

  function diagnosisOptions() {
    return Array.prototype.slice.call(document.querySelectorAll("#dx-results .dx-option"));
  }

  document.addEventListener("keydown", function (event) {
    // Ctrl+S: save the draft (not the browser's "save page").
    if ((event.ctrlKey || event.metaKey) && (event.key === "s" || event.key === "S")) {
      var draft = document.querySelector("#note-form button[name=draft]");
      if (draft) {
        event.preventDefault();
        draft.click();
      }
      return;
    }
    if (event.key === "Escape") {
      var open = document.querySelector(".fix-area .correction");
      if (open) { open.parentNode.innerHTML = ""; return; }
    }
    var active = document.activeElement;
    if (!active) { return; }
    var options = diagnosisOptions();
    if (active.id === "dx-q" && event.key === "ArrowDown" && options.length) {
      event.preventDefault();
      options[0].focus();
    } else if (active.classList && active.classList.contains("dx-option")) {
      var index = options.indexOf(active);
      if (event.key === "ArrowDown" && index < options.length - 1) {
        event.preventDefault();
        options[index + 1].focus();
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (index > 0) { options[index - 1].focus(); } else { document.getElementById("dx-q").focus(); }
      }
    }
  });

  // Codes on screen belong to what was typed before: they cannot be picked until the
  // results for the new text arrive.
  document.addEventListener("input", function (event) {
    if (event.target && event.target.id === "dx-q") {
      diagnosisOptions().forEach(function (option) { option.disabled = true; });
    }
  });

  // After a section is swapped in, the cursor goes back where the next entry is typed.
  // (htmx:load fires on the new content; the replaced element no longer bubbles.)
  document.addEventListener("htmx:load", function (event) {
    var id = event.target && event.target.id;
    if (id === "diagnoses") {
      var box = document.getElementById("dx-q");
      if (box) { box.focus(); }
    } else if (id === "vitals") {
      var error = document.querySelector("#vitals .has-error input");
      if (error) { error.focus(); }
    }
  });
})();
