// Users list: "select all on this page", a running count of the selection,
// and a Continue button that waits for a choice and names the action and
// count ("Deactivate 3 users"). Without this script the checkboxes still
// work one by one, and the server answers Continue with nothing chosen by
// showing the list again with the problem. Its words come in the reader's
// language from the form's data-words-* attributes ({n} is the number).
(function () {
  'use strict';
  var form = document.querySelector('[data-bulk-select]');
  if (!form) return;
  var all = form.querySelector('[data-select-all]');
  var count = form.querySelector('[data-selection-count]');
  var action = form.querySelector('select[name=action]');
  var button = form.querySelector('[data-testid=bulk-continue]');
  var hint = form.querySelector('[data-bulk-hint]');
  var lang = form.getAttribute('data-words-lang') || 'en';
  function word(name) {
    return form.getAttribute('data-words-' + name) || '';
  }
  var plural = window.Intl && Intl.PluralRules ? new Intl.PluralRules(lang) : null;
  // counted says n with the words' plural form: only "one" differs.
  function counted(name, n) {
    var kind = plural ? plural.select(n) : (n === 1 ? 'one' : 'other');
    var number = lang === 'en' ? n.toLocaleString('en-GB') : n.toLocaleString(lang);
    return word(name + (kind === 'one' ? '-one' : '-other')).replace('{n}', number);
  }
  function boxes() {
    return Array.prototype.slice.call(form.querySelectorAll('input[name=id]'));
  }
  function users(n) {
    return counted('users', n);
  }
  function matching() {
    var scope = form.querySelector('input[name=scope]:checked');
    return scope && scope.value === 'matching';
  }
  function update() {
    var list = boxes();
    var n = list.filter(function (b) { return b.checked; }).length;
    count.textContent = counted('selected', n);
    all.checked = n > 0 && n === list.length;
    all.indeterminate = n > 0 && n < list.length;
    var ready = n > 0 || matching();
    button.disabled = !ready;
    hint.hidden = ready;
    var option = action.options[action.selectedIndex];
    var words = option && option.getAttribute('data-button');
    if (!words || !ready) {
      button.textContent = word('continue');
    } else {
      button.textContent = words.replace('{n}', matching() ? word('everyone') : users(n));
    }
  }
  all.hidden = false;
  all.addEventListener('change', function () {
    boxes().forEach(function (b) { b.checked = all.checked; });
    update();
  });
  form.addEventListener('change', update);
  update();
})();
