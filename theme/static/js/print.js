// The print button: shown only when JavaScript runs, prints (or saves as PDF) the item.
document.querySelectorAll("[data-action=print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
