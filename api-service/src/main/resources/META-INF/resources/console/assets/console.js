// adsync console: the only script besides htmx (served from 'self'; the Content-Security-Policy allows no inline script).
(function () {
  'use strict';

  // htmx: no injected <style> (the CSP allows only our stylesheet), no eval; every htmx request carries the CSRF token.
  if (window.htmx) {
    htmx.config.includeIndicatorStyles = false;
    htmx.config.allowEval = false;
    htmx.config.allowScriptTags = false;
    htmx.config.selfRequestsOnly = true;
  }
  var meta = document.querySelector('meta[name="csrf-token"]');
  document.addEventListener('htmx:configRequest', function (e) {
    if (meta) { e.detail.headers['X-CSRF-Token'] = meta.content; }
  });
  document.addEventListener('htmx:responseError', function (e) {
    showError('The server answered ' + e.detail.xhr.status + '. ' + (e.detail.xhr.status === 403 ? 'Not allowed.' : 'Try again.'));
  });
  document.addEventListener('htmx:sendError', function () { showError('The server could not be reached. Retrying…'); });
  document.addEventListener('htmx:afterRequest', function (e) { if (e.detail.successful) { hideError(); } });

  function showError(text) {
    var box = document.getElementById('request-error');
    if (box) { box.textContent = text; box.hidden = false; }
  }
  function hideError() {
    var box = document.getElementById('request-error');
    if (box) { box.hidden = true; }
  }

  // Times: the server sends ISO-8601 instants; show them in the browser's time zone, and relative where asked.
  var absolute = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
  function relative(ms) {
    var s = Math.round(ms / 1000), a = Math.abs(s), out;
    if (a < 45) { out = a + ' s'; }
    else if (a < 5400) { out = Math.round(a / 60) + ' min'; }
    else if (a < 129600) { out = Math.round(a / 3600) + ' h'; }
    else { out = Math.round(a / 86400) + ' d'; }
    if (a < 5) { return 'now'; }
    return s >= 0 ? 'in ' + out : out + ' ago';
  }
  function renderTimes(root) {
    (root || document).querySelectorAll('time[datetime]').forEach(function (t) {
      var d = new Date(t.getAttribute('datetime'));
      if (isNaN(d)) { return; }
      var abs = absolute.format(d);
      t.title = t.getAttribute('datetime');
      t.textContent = t.hasAttribute('data-relative') ? relative(d - Date.now()) + ' (' + abs + ')' : abs;
    });
  }

  // The job dialog: Sync All Domains disables Domain; Calendar shows its own fields; RunWhen "At time" shows the date.
  function wireJobForm(root) {
    var form = (root || document).querySelector('#job-form');
    if (!form) { return; }
    var all = form.querySelector('#syncAllDomains'), domain = form.querySelector('#domainId');
    function syncAll() { domain.disabled = all.checked; }
    all.addEventListener('change', syncAll); syncAll();
    var calendar = form.querySelector('#calendar');
    function showCalendar() {
      form.querySelectorAll('.calendar-part').forEach(function (p) {
        var on = p.getAttribute('data-calendar') === calendar.value;
        p.hidden = !on;
        p.querySelectorAll('input, select').forEach(function (i) { i.disabled = !on; });
      });
      showRunAt();
    }
    var runWhen = form.querySelector('#runWhen'), runAt = form.querySelector('.run-at');
    function showRunAt() {
      var on = calendar.value === 'TIME_SPAN' && runWhen.value === 'AT_TIME';
      runAt.hidden = !on;
      runAt.querySelectorAll('input').forEach(function (i) { i.disabled = !on; });
    }
    calendar.addEventListener('change', showCalendar);
    runWhen.addEventListener('change', showRunAt);
    var zone = form.querySelector('[data-browser-zone]');
    if (zone && !form.querySelector('#startAt').value) {
      try { zone.value = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'; } catch (e) { zone.value = 'UTC'; }
    }
    showCalendar();
  }

  // Forms that ask first (Delete, Cancel, allowMassDeactivation): data-confirm="…".
  document.addEventListener('submit', function (e) {
    var msg = e.target.getAttribute && e.target.getAttribute('data-confirm');
    if (msg && !window.confirm(msg)) { e.preventDefault(); }
  }, true);

  // CA certificate: read a chosen PEM file into its text area (never uploaded by itself).
  document.addEventListener('change', function (e) {
    var into = e.target.getAttribute && e.target.getAttribute('data-pem-into');
    if (!into || !e.target.files || !e.target.files[0]) { return; }
    var reader = new FileReader();
    reader.onload = function () { document.getElementById(into).value = reader.result; };
    reader.readAsText(e.target.files[0]);
  });

  function init(root) { renderTimes(root); }
  document.addEventListener('DOMContentLoaded', function () {
    wireJobForm(document);
    init(document);
    if (window.htmx) { htmx.onLoad(function (el) { renderTimes(el); }); }
  });
  setInterval(function () { renderTimes(document); }, 30000);
})();
