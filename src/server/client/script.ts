/**
 * The source of `/clout.js`, the first-party script for landing pages (no dependencies, about 3.5 kB).
 *
 * Include it as `<script src="https://clout.example/clout.js" data-key="clout_pk_…"></script>`; optional
 * attributes: `data-param` (the click-id query parameter, default `clout_id`) and `data-api` (the API base URL,
 * default the script's own origin). On load it keeps every click id it sees in the page URL in first-party storage
 * (localStorage, else a cookie): a list of at most 10 `{id, seen_at}`, oldest first, entries older than 30 days
 * dropped. `clout.track(type, {customer_id, event_name, metadata})` posts them as `click_ids` to
 * `/api/track/<type>` with the publishable key and returns a promise of the API's JSON answer (rejected with an
 * Error carrying `status` and `problem` on an error answer). Network failures and 5xx answers are retried twice
 * with the same Idempotency-Key, so a retry never records a lead twice. `clout.clickIds()` returns the stored ids.
 */

/** Most click ids kept in the browser. */
export const CLIENT_MAX_IDS = 10;
/** How long a click id is kept in the browser: 30 days. */
export const CLIENT_TTL_DAYS = 30;

/** The script text served at /clout.js. */
export const CLOUT_JS = `/* clout.js — first-party click-id keeper and lead tracker. MIT. */
(function (w, d) {
  'use strict';
  var MAX = ${CLIENT_MAX_IDS}, TTL = ${CLIENT_TTL_DAYS} * 864e5, NAME = 'clout_ids';
  var el = d.currentScript || (function () { var s = d.querySelectorAll('script[data-key]'); return s[s.length - 1]; })();
  var attr = function (n) { return el ? el.getAttribute(n) : null; };
  var key = attr('data-key') || '';
  var param = attr('data-param') || 'clout_id';
  var api = attr('data-api') || (el && el.src ? new URL(el.src, w.location.href).origin : w.location.origin);
  api = api.replace(/\\/+$/, '');

  function readRaw() {
    try { var v = w.localStorage.getItem(NAME); if (v !== null) return v; } catch (e) {}
    var m = (d.cookie || '').match(new RegExp('(?:^|; )' + NAME + '=([^;]*)'));
    return m ? decodeURIComponent(m[1]) : null;
  }
  function writeRaw(v) {
    try { w.localStorage.setItem(NAME, v); return; } catch (e) {}
    d.cookie = NAME + '=' + encodeURIComponent(v) + '; max-age=' + Math.floor(TTL / 1000) + '; path=/; SameSite=Lax';
  }
  function load(now) {
    var list = [];
    try { list = JSON.parse(readRaw() || '[]'); } catch (e) {}
    if (!Array.isArray(list)) list = [];
    return list.filter(function (x) {
      return x && typeof x.id === 'string' && typeof x.seen_at === 'number' && now - x.seen_at < TTL;
    });
  }
  function remember(id, now) {
    var list = load(now).filter(function (x) { return x.id !== id; });
    var prior = load(now).filter(function (x) { return x.id === id; })[0];
    list.push(prior || { id: id, seen_at: now });
    list.sort(function (a, b) { return a.seen_at - b.seen_at; });
    writeRaw(JSON.stringify(list.slice(-MAX)));
  }
  function clickIds() { return load(Date.now()).map(function (x) { return x.id; }); }
  function uuid() {
    if (w.crypto && w.crypto.randomUUID) return w.crypto.randomUUID();
    return Date.now().toString(36) + Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
  }
  function track(type, opts) {
    opts = opts || {};
    var body = { customer_id: opts.customer_id };
    var ids = clickIds();
    if (ids.length) body.click_ids = ids;
    if (opts.event_name !== undefined) body.event_name = opts.event_name;
    if (opts.metadata !== undefined) body.metadata = opts.metadata;
    if (opts.external_id !== undefined) body.external_id = opts.external_id;
    var idem = uuid();
    var attempt = function (n) {
      return w.fetch(api + '/api/track/' + encodeURIComponent(type), {
        method: 'POST', mode: 'cors', credentials: 'omit', keepalive: true,
        headers: { 'content-type': 'application/json', authorization: 'Bearer ' + key, 'idempotency-key': idem },
        body: JSON.stringify(body)
      }).then(function (res) {
        return res.text().then(function (t) {
          var j = null;
          try { j = t ? JSON.parse(t) : null; } catch (e) {}
          if (res.ok) return j;
          if (res.status >= 500 && n < 2) return attempt(n + 1);
          var err = new Error((j && j.detail) || ('clout: HTTP ' + res.status));
          err.status = res.status; err.problem = j;
          throw err;
        });
      }, function (e) {
        if (n < 2) return attempt(n + 1);
        throw e;
      });
    };
    return attempt(0);
  }

  try {
    var seen = new URL(w.location.href).searchParams.get(param);
    if (seen && seen.length <= 200) remember(seen, Date.now());
  } catch (e) {}
  w.clout = { track: track, clickIds: clickIds };
})(window, document);
`;
