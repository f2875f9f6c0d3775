// Password checklist: ticks the password rules while the user types.
// Progressive enhancement only. The server checks every rule again and marks
// the ones a submission broke (class rule-failed), so this script never adds
// that class: an unfinished password is not yet a failure.
(function () {
  'use strict';

  const hasAny = (pw, chars) => [...(chars || '')].some((c) => pw.includes(c));

  // One test per rule the browser can judge; keys match data-rule.
  // "common" needs the server's password estimator: askCommon asks it.
  const tests = {
    length: (pw, li) => {
      const n = [...pw].length; // code points, as the server counts
      return n >= Number(li.dataset.min || 0) && n <= Number(li.dataset.max || Infinity);
    },
    upper: (pw) => /\p{Lu}/u.test(pw),
    lower: (pw) => /\p{Ll}/u.test(pw),
    digit: (pw) => /\p{Nd}/u.test(pw),
    special: (pw, li) => hasAny(pw, li.dataset.chars),
    nospace: (pw) => !/\s/u.test(pw),
    safe: (pw, li) => !hasAny(pw, li.dataset.chars),
    notusername: (pw, li, names) => !names.includes(pw.toLowerCase()),
  };

  // askCommon asks the server whether pw is a common or easily guessed
  // password (the same estimator the form submission uses) and calls done
  // with true or false, or null when it could not tell.
  function askCommon(form, pw, others, done) {
    const token = form && form.querySelector('input[name="csrf_token"]');
    if (!token) { done(null); return; }
    const body = new URLSearchParams({ password: pw });
    others.forEach((el) => body.set(el.name || el.id, el.value));
    fetch('/password/check', {
      method: 'POST',
      headers: { 'X-CSRF-Token': token.value },
      body,
      credentials: 'same-origin',
    }).then((res) => (res.ok ? res.json() : null))
      .then((answer) => done(answer ? !answer.common : null))
      .catch(() => done(null));
  }

  function setUp(box) {
    const password = document.getElementById(box.dataset.for);
    if (!password) return;
    const others = (box.dataset.usernameFields || '').split(/\s+/)
      .map((id) => id && document.getElementById(id)).filter(Boolean);
    const rules = Array.from(box.querySelectorAll('li[data-rule]'));
    const common = box.querySelector('li[data-rule="common"]');
    let asked = 0; // the latest question to the server; older answers are dropped
    let askTimer;
    const live = document.createElement('p');
    live.className = 'visually-hidden';
    live.setAttribute('aria-live', 'polite');
    box.appendChild(live); // present before it changes, or it is not announced
    let typed = false;
    let timer;

    function update(announce) {
      // The server compares the NFC form, so do the same.
      const pw = password.value.normalize('NFC');
      // Until the user types, keep what the server said about the last try.
      if (!pw && !typed) return;
      const names = others.map((el) => el.value.trim().toLowerCase()).filter(Boolean);
      let judged = 0;
      let met = 0;
      rules.forEach((li) => {
        if (li === common) return; // judged by the server, below
        const test = tests[li.dataset.rule];
        const ok = Boolean(test && pw && test(pw, li, names));
        if (test) judged += 1;
        if (ok) met += 1;
        li.classList.toggle('rule-met', ok);
        clearServerVerdict(li);
      });
      if (common) {
        judged += 1;
        clearServerVerdict(common);
        common.classList.remove('rule-met');
        delete common.dataset.answered;
        const question = ++asked;
        clearTimeout(askTimer);
        if (pw) {
          askTimer = setTimeout(() => askCommon(password.form, pw, others, (ok) => {
            if (question !== asked || ok === null) return;
            common.classList.toggle('rule-met', ok);
            common.dataset.answered = ok ? 'met' : 'not met';
            if (ok && announce) say(met + 1, judged);
          }), 300);
        }
      }
      if (!announce) return;
      say(met, judged);
    }

    // say announces the count after a pause in typing, so screen readers
    // are not flooded.
    function say(met, judged) {
      clearTimeout(timer);
      timer = setTimeout(() => {
        // The page gives the sentence for each count in its language.
        live.textContent = box.getAttribute('data-said-' + met) || (met + ' / ' + judged);
      }, 500);
    }

    password.addEventListener('input', () => { typed = true; update(true); });
    others.forEach((el) => el.addEventListener('input', () => update(true)));
    update(false); // the browser may have restored a value
  }

  // clearServerVerdict drops the server's mark from the last submission: it
  // was about the previous password, and so is its "(not met)" note.
  function clearServerVerdict(li) {
    if (!li.classList.contains('rule-failed')) return;
    li.classList.remove('rule-failed');
    const note = li.querySelector('.visually-hidden');
    if (note) note.remove();
  }

  function init() {
    document.querySelectorAll('[data-password-checklist]').forEach(setUp);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
