// Filters of the document register: hide the rows that do not match every chosen value.
(function () {
  var form = document.getElementById("loc-van-ban");
  if (!form) return;
  var selects = form.querySelectorAll("select[data-filter]");
  var rows = document.querySelectorAll("table.register tbody tr");
  var count = document.getElementById("so-van-ban");
  function apply() {
    var shown = 0;
    rows.forEach(function (row) {
      var match = Array.prototype.every.call(selects, function (select) {
        return !select.value || row.getAttribute("data-" + select.getAttribute("data-filter")) === select.value;
      });
      row.hidden = !match;
      if (match) shown += 1;
    });
    count.textContent = shown + " văn bản";
  }
  selects.forEach(function (select) { select.addEventListener("change", apply); });
  form.hidden = false;
})();
