/**
 * The HTML report's own script (plain ES5-style JavaScript, inlined after Chart.js): reads the report from the JSON
 * block and draws one Chart.js chart per `canvas[data-chart]`. It reads the document and draws; it computes nothing
 * the tables do not already show. Interval charts are floating bars [lower, upper] with the mean as a point; the
 * scatter has a logarithmic followers axis and draws each account's interval as a whisker; the framing chart groups
 * one floating bar per outcome (clicks, conversions, incremental outcomes) under each framing, a tick at the estimate.
 */
export const CLIENT_SCRIPT = String.raw`(function () {
  'use strict';
  var payload = JSON.parse(document.getElementById('clout-report-data').textContent);
  var report = payload.report, top = payload.top;
  var Chart = window.Chart;
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  Chart.defaults.color = '#374151';
  var MEAN = '#111827', BAR = 'rgba(37, 99, 235, 0.35)', BAR_LINE = 'rgba(37, 99, 235, 0.9)';
  var FRAMING = { pitch: '#6b7280', endorsement: '#16a34a', bare_link: '#ea580c', other: '#7c3aed' };
  var level = report.model.level ? Math.round(report.model.level * 100) + '%' : '';
  var handles = {};
  report.accounts.forEach(function (a) { handles[a.id] = a.handle || a.id; });
  function nameOf(id) { return handles[id] || id; }
  function fixed(x, d) {
    return x === null || x === undefined || !isFinite(x) ? '–' : x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
  }
  function canvas(name) { return document.querySelector('canvas[data-chart="' + name + '"]'); }
  function draw(name, config) {
    var c = canvas(name);
    return c ? new Chart(c, config) : null;
  }

  /** Horizontal interval chart: one floating bar [lower, upper] per row and the mean as a dark point. */
  function intervalChart(name, rows, opts) {
    var labels = rows.map(opts.label);
    var colors = rows.map(function (r) { return opts.color ? opts.color(r) : BAR; });
    return draw(name, {
      type: 'bar',
      data: {
        labels: labels,
        datasets: [
          { type: 'bar', indexAxis: 'y', label: level + ' interval', data: rows.map(function (r) { var i = opts.interval(r); return [i.lower, i.upper]; }),
            backgroundColor: colors, borderColor: BAR_LINE, borderWidth: 1, borderSkipped: false, barPercentage: 0.7, order: 2 },
          { type: 'line', indexAxis: 'y', label: opts.meanLabel, data: rows.map(function (r) { return opts.interval(r).mean; }),
            showLine: false, pointRadius: 4, pointHoverRadius: 6, pointBackgroundColor: MEAN, borderColor: MEAN, order: 1 }
        ]
      },
      options: {
        indexAxis: 'y',
        scales: {
          x: { title: { display: true, text: opts.xTitle }, min: opts.xMin, grid: { color: '#e5e7eb' } },
          y: { ticks: { autoSkip: false } }
        },
        plugins: {
          legend: { position: 'bottom' },
          tooltip: { callbacks: { label: function (ctx) {
            var i = opts.interval(rows[ctx.dataIndex]);
            return ctx.datasetIndex === 0 ? level + ' interval ' + fixed(i.lower, opts.digits) + ' – ' + fixed(i.upper, opts.digits)
                                          : opts.meanLabel + ' ' + fixed(i.mean, opts.digits);
          } } }
        }
      }
    });
  }

  var covered = report.accounts.filter(function (a) { return a.outcome_influence !== null; })
    .sort(function (x, y) { return y.outcome_influence.mean - x.outcome_influence.mean || (x.id < y.id ? -1 : 1); });

  intervalChart('leaderboard', covered.slice(0, top), {
    label: function (a) { return a.handle || a.id; },
    interval: function (a) { return a.outcome_influence; },
    meanLabel: 'caused per post (mean)', xTitle: 'incremental outcomes per post', digits: 2
  });

  var whiskers = {
    id: 'cloutWhiskers',
    afterDatasetsDraw: function (chart) {
      var ds = chart.data.datasets[0], meta = chart.getDatasetMeta(0), y = chart.scales.y, ctx = chart.ctx, area = chart.chartArea;
      ctx.save();
      ctx.beginPath();
      ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
      ctx.clip();
      ctx.strokeStyle = 'rgba(37, 99, 235, 0.55)';
      ctx.lineWidth = 1;
      meta.data.forEach(function (pt, i) {
        var d = ds.data[i], hi = y.getPixelForValue(d.hi), lo = y.getPixelForValue(d.lo);
        ctx.beginPath();
        ctx.moveTo(pt.x, hi); ctx.lineTo(pt.x, lo);
        ctx.moveTo(pt.x - 3, hi); ctx.lineTo(pt.x + 3, hi);
        ctx.moveTo(pt.x - 3, lo); ctx.lineTo(pt.x + 3, lo);
        ctx.stroke();
      });
      ctx.restore();
    }
  };
  var points = covered.filter(function (a) { return a.followers > 0; }).map(function (a) {
    return { x: a.followers, y: a.outcome_influence.mean, lo: a.outcome_influence.lower, hi: a.outcome_influence.upper, name: a.handle || a.id };
  });
  var yLo = 0, yHi = 0;
  points.forEach(function (p) { yLo = Math.min(yLo, p.lo); yHi = Math.max(yHi, p.hi); });
  draw('scatter', {
    type: 'scatter',
    data: { datasets: [{ label: 'account (mean, ' + level + ' interval)', data: points, backgroundColor: 'rgba(37, 99, 235, 0.8)', pointRadius: 3.5, pointHoverRadius: 6 }] },
    options: {
      scales: {
        x: { type: 'logarithmic', title: { display: true, text: 'followers (log scale)' },
             ticks: { autoSkip: false, maxRotation: 0, callback: function (v) { var e = Math.log10(v); return Math.abs(e - Math.round(e)) < 1e-9 ? fixed(v, 0) : ''; } } },
        y: { title: { display: true, text: 'incremental outcomes per post' }, suggestedMin: yLo, suggestedMax: yHi }
      },
      plugins: {
        legend: { position: 'bottom' },
        tooltip: { callbacks: { label: function (ctx) {
          var p = ctx.raw;
          return p.name + ': ' + fixed(p.x, 0) + ' followers, ' + fixed(p.y, 2) + ' per post [' + fixed(p.lo, 2) + ', ' + fixed(p.hi, 2) + ']';
        } } }
      }
    },
    plugins: [whiskers]
  });

  intervalChart('posts', report.posts.slice(0, top), {
    label: function (p) { return nameOf(p.author_id) + ' · ' + p.framing.replace('_', ' ') + ' · ' + p.id; },
    interval: function (p) { return p.incremental; },
    color: function (p) { return FRAMING[p.framing] ? FRAMING[p.framing] + '66' : BAR; },
    meanLabel: 'caused by the post (mean)', xTitle: 'incremental outcomes', digits: 2
  });

  // Framing: one group of floating bars per outcome (clicks, conversions, incremental outcomes), a tick at each estimate.
  var framingGroups = [
    { label: 'clicks', rows: report.framing_effects.filter(function (e) { return e.outcome === 'clicks'; }), color: 'rgba(37, 99, 235, 0.45)', line: 'rgba(37, 99, 235, 0.95)' },
    { label: 'conversions', rows: report.framing_effects.filter(function (e) { return e.outcome === 'conversions'; }), color: 'rgba(234, 88, 12, 0.45)', line: 'rgba(234, 88, 12, 0.95)' },
    { label: 'incremental outcomes (model)', rows: report.framing, color: 'rgba(22, 163, 74, 0.45)', line: 'rgba(22, 163, 74, 0.95)' }
  ].filter(function (g) { return g.rows.length > 0; });
  var framings = [];
  ['pitch', 'endorsement', 'bare_link', 'other'].concat(framingGroups.reduce(function (all, g) { return all.concat(g.rows.map(function (r) { return r.framing; })); }, []))
    .forEach(function (f) {
      var used = framingGroups.some(function (g) { return g.rows.some(function (r) { return r.framing === f; }); });
      if (used && framings.indexOf(f) < 0) framings.push(f);
    });
  function framingRow(g, f) { return g.rows.filter(function (r) { return r.framing === f; })[0] || null; }
  var ticks = {
    id: 'cloutEstimateTicks',
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx, x = chart.scales.x;
      ctx.save();
      ctx.strokeStyle = MEAN;
      ctx.lineWidth = 2;
      chart.data.datasets.forEach(function (ds, i) {
        if (!chart.isDatasetVisible(i)) return;
        chart.getDatasetMeta(i).data.forEach(function (bar, j) {
          var m = ds.estimates[j];
          if (m === null || m === undefined) return;
          var px = x.getPixelForValue(m), half = bar.height / 2;
          ctx.beginPath();
          ctx.moveTo(px, bar.y - half); ctx.lineTo(px, bar.y + half);
          ctx.stroke();
        });
      });
      ctx.restore();
    }
  };
  draw('framing', {
    type: 'bar',
    data: {
      labels: framings.map(function (f) { return f.replace('_', ' '); }),
      datasets: framingGroups.map(function (g) {
        var rows = framings.map(function (f) { return framingRow(g, f); });
        return {
          label: g.label, indexAxis: 'y', backgroundColor: g.color, borderColor: g.line, borderWidth: 1, borderSkipped: false,
          minBarLength: 2, data: rows.map(function (r) { return r ? [r.lower, r.upper] : null; }),
          estimates: rows.map(function (r) { return r ? r.effect : null; }), posts: rows.map(function (r) { return r ? r.posts : null; })
        };
      })
    },
    options: {
      indexAxis: 'y',
      scales: {
        x: { min: 0, title: { display: true, text: 'multiplier relative to a pitch by the same author (× pitch)' }, grid: { color: '#e5e7eb' } },
        y: { ticks: { autoSkip: false } }
      },
      plugins: {
        legend: { position: 'bottom' },
        tooltip: { callbacks: { label: function (ctx) {
          var ds = ctx.dataset, r = ds.data[ctx.dataIndex];
          return ds.label + ': × ' + fixed(ds.estimates[ctx.dataIndex], 2) + ' [' + fixed(r[0], 2) + ' – ' + fixed(r[1], 2) + '], ' + ds.posts[ctx.dataIndex] + ' posts';
        } } }
      }
    },
    plugins: [ticks]
  });

  var tribes = report.tribes.slice(0, top);
  var tribeSets = [{ label: 'credited conversions (last touch)', data: tribes.map(function (t) { return t.conversions; }), backgroundColor: 'rgba(107, 114, 128, 0.7)' }];
  if (report.model.status === 'fitted') {
    tribeSets.push({ label: 'caused by members\' posts (model)', data: tribes.map(function (t) { return t.caused; }), backgroundColor: 'rgba(22, 163, 74, 0.75)' });
  }
  draw('tribes', {
    type: 'bar',
    data: { labels: tribes.map(function (t) { return 'tribe ' + t.id + ' (' + t.members + ')'; }), datasets: tribeSets },
    options: { scales: { y: { beginAtZero: true, title: { display: true, text: 'outcomes' } } }, plugins: { legend: { position: 'bottom' } } }
  });

  var campaigns = report.campaigns;
  draw('campaign-progress', {
    type: 'bar',
    data: {
      labels: campaigns.map(function (c) { return c.name || c.id; }),
      datasets: [
        { type: 'bar', indexAxis: 'y', label: 'raised', data: campaigns.map(function (c) { return c.raised; }), backgroundColor: 'rgba(22, 163, 74, 0.7)', order: 2 },
        { type: 'line', indexAxis: 'y', label: 'goal', data: campaigns.map(function (c) { return c.goal_value; }), showLine: false,
          pointStyle: 'line', rotation: 90, pointRadius: 14, pointBorderWidth: 3, borderColor: '#b91c1c', backgroundColor: '#b91c1c', order: 1 }
      ]
    },
    options: {
      indexAxis: 'y',
      scales: { x: { beginAtZero: true, title: { display: true, text: 'raised vs goal (campaign currency)' } } },
      plugins: { legend: { position: 'bottom' }, tooltip: { callbacks: { label: function (ctx) {
        var c = campaigns[ctx.dataIndex];
        return ctx.datasetIndex === 0 ? 'raised ' + fixed(c.raised, 2) + ' ' + (c.currency || '') + (c.progress === null ? '' : ' (' + fixed(100 * c.progress, 1) + '% of goal)')
                                      : 'goal ' + fixed(c.goal_value, 2) + ' ' + (c.currency || '');
      } } } }
    }
  });
  campaigns.forEach(function (c, i) {
    draw('campaign-sharers-' + i, {
      type: 'bar',
      data: {
        labels: c.top_accounts.map(function (t) { return t.handle || t.id; }),
        datasets: [{ label: 'credited value (' + (c.currency || 'no currency') + ')', data: c.top_accounts.map(function (t) { return t.value; }), backgroundColor: 'rgba(37, 99, 235, 0.7)' }]
      },
      options: { indexAxis: 'y', scales: { x: { beginAtZero: true } }, plugins: { legend: { position: 'bottom' } } }
    });
  });

  var vsCaused = report.fallacy.filter(function (p) { return p.b === 'outcome_influence'; });
  draw('fallacy', {
    type: 'bar',
    data: {
      labels: vsCaused.map(function (p) { return p.a; }),
      datasets: [{ label: 'Spearman ρ with outcome influence', data: vsCaused.map(function (p) { return p.spearman; }),
        backgroundColor: vsCaused.map(function (p) { return p.a === 'attributed' ? 'rgba(22, 163, 74, 0.7)' : 'rgba(107, 114, 128, 0.7)'; }) }]
    },
    options: { scales: { y: { min: -1, max: 1, title: { display: true, text: 'Spearman ρ' } } }, plugins: { legend: { position: 'bottom' } } }
  });
})();
`;
