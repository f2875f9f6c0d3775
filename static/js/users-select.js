// Users list: "select all on this page" and a running count of the
// selection. Without this script the checkboxes still work one by one.
(function () {
  'use strict';
  var form = document.querySelector('[data-bulk-select]');
  if (!form) return;
  var all = form.querySelector('[data-select-all]');
  var count = form.querySelector('[data-selection-count]');
  function boxes() {
    return Array.prototype.slice.call(form.querySelectorAll('input[name=id]'));
  }
  function update() {
    var list = boxes();
    var n = list.filter(function (b) { return b.checked; }).length;
    count.textContent = '(' + n + ' selected)';
    all.checked = n > 0 && n === list.length;
    all.indeterminate = n > 0 && n < list.length;
  }
  all.hidden = false;
  all.addEventListener('change', function () {
    boxes().forEach(function (b) { b.checked = all.checked; });
    update();
  });
  form.addEventListener('change', function (e) {
    if (e.target.name === 'id') update();
  });
  update();
})();
