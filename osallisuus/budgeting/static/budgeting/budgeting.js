/* Participatory budgeting: comfort only; every page works without this file.
   - the print button of the code sheet;
   - on a ballot that must fit in the budget, the running total of the choices. */
(function () {
  "use strict";
  var printButton = document.querySelector("[data-print]");
  if (printButton) {
    printButton.hidden = false;
    printButton.addEventListener("click", function () { window.print(); });
  }
  var ballot = document.querySelector("fieldset.ballot[data-budget]");
  var total = document.querySelector("[data-ballot-total]");
  if (!ballot || !total) { return; }
  var budget = parseFloat(ballot.getAttribute("data-budget"));
  var lang = document.documentElement.lang || "fi";
  var money = function (v) {
    try { return new Intl.NumberFormat(lang === "en" ? "en-GB" : lang + "-FI", { style: "currency", currency: "EUR" }).format(v); }
    catch (e) { return v.toFixed(2) + " €"; }
  };
  // The texts come translated from the page (data-text with SUM and BUDGET, data-over).
  var text = total.getAttribute("data-text") || "SUM / BUDGET";
  var over = total.getAttribute("data-over") || "";
  function update() {
    var sum = 0;
    ballot.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
      sum += parseFloat(box.getAttribute("data-cost") || "0");
    });
    total.hidden = false;
    total.textContent = text.replace("SUM", money(sum)).replace("BUDGET", money(budget)) + (sum > budget ? " " + over : "");
    total.classList.toggle("ballot-total--over", sum > budget);
  }
  ballot.addEventListener("change", update);
  update();
}());
