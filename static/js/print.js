// Shows the "Print" buttons of a page and makes them print it. Without this
// script the browser's own print command does the same.
(function () {
  'use strict';
  document.querySelectorAll('[data-print]').forEach(function (b) {
    b.hidden = false;
    b.addEventListener('click', function () { window.print(); });
  });
})();
