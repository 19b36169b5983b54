// Glossary terms ({% term %}): the definition shows on hover and keyboard focus by CSS alone;
// this adds what CSS cannot: a tap toggles it on touch screens, Escape hides it (WCAG 1.4.13),
// a tap elsewhere closes it, and a definition near the right edge is moved back into view.
(function () {
  "use strict";

  function tipOf(button) {
    return document.getElementById(button.getAttribute("aria-describedby"));
  }

  function place(button) {
    var tip = tipOf(button);
    if (!tip) return;
    tip.style.left = "";
    var rect = tip.getBoundingClientRect();
    var overflow = rect.right - (document.documentElement.clientWidth - 8);
    if (overflow > 0) tip.style.left = -Math.min(overflow, rect.left - 8) + "px";
  }

  function closeAll(except) {
    document.querySelectorAll(".term-wrap.open").forEach(function (wrap) {
      if (wrap !== except) wrap.classList.remove("open");
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.term") : null;
    if (!button) {
      closeAll(null);
      return;
    }
    var wrap = button.parentNode;
    closeAll(wrap);
    wrap.classList.remove("dismissed");
    wrap.classList.toggle("open");
    place(button);
  });

  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("button.term")) {
      event.target.parentNode.classList.remove("dismissed");
      place(event.target);
    }
  });

  document.addEventListener("mouseover", function (event) {
    var button = event.target.closest ? event.target.closest("button.term") : null;
    if (button) place(button);
  });

  // Once the pointer leaves a term dismissed by Escape, hovering it again shows it again.
  document.addEventListener("mouseout", function (event) {
    var wrap = event.target.closest ? event.target.closest(".term-wrap.dismissed") : null;
    if (wrap && !(event.relatedTarget && wrap.contains(event.relatedTarget))) {
      wrap.classList.remove("dismissed");
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll(".term-wrap").forEach(function (wrap) {
      if (wrap.classList.contains("open") || wrap.contains(document.activeElement) ||
          wrap.matches(":hover")) {
        wrap.classList.remove("open");
        wrap.classList.add("dismissed");
      }
    });
  });
})();
