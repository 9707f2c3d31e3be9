// Filters of the document register: hide the rows that do not match every chosen value
// and the number or keyword typed (with or without diacritics). The choices live in the
// address (?tu-khoa=…&loai=…), so a filtered list survives a reload and can be sent on.
(function () {
  var form = document.getElementById("loc-van-ban");
  if (!form) return;
  var selects = form.querySelectorAll("select[data-filter]");
  var text = form.querySelector("input[data-filter=text]");
  var rows = document.querySelectorAll("table.register tbody tr");
  var count = document.getElementById("so-van-ban");
  function fold(value) {
    return value.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase()
      .replace(/[^a-z0-9]+/g, " ").trim();
  }
  var haystacks = Array.prototype.map.call(rows, function (row) { return " " + fold(row.textContent) + " "; });
  function apply() {
    var shown = 0;
    var words = text && text.value ? fold(text.value).split(" ").filter(Boolean) : [];
    rows.forEach(function (row, i) {
      var match = Array.prototype.every.call(selects, function (select) {
        return !select.value || row.getAttribute("data-" + select.getAttribute("data-filter")) === select.value;
      }) && words.every(function (word) { return haystacks[i].indexOf(" " + word) >= 0; });
      row.hidden = !match;
      if (match) shown += 1;
    });
    count.textContent = shown + " văn bản";
  }
  function remember() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) { if (value) params.set(key, value); });
    var query = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
  }
  var params = new URLSearchParams(window.location.search);
  selects.forEach(function (select) {
    var wanted = params.get(select.name);
    if (wanted && Array.prototype.some.call(select.options, function (o) { return o.value === wanted; })) select.value = wanted;
    select.addEventListener("change", function () { apply(); remember(); });
  });
  if (text) {
    text.value = params.get(text.name) || "";
    text.addEventListener("input", function () { apply(); remember(); });
  }
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); remember(); });
  apply();
})();
