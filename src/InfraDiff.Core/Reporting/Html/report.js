// infradiff's HTML report. Every piece of host text reaches the page through textContent, never as markup.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('data').textContent);
  var SEVERITIES = ['critical', 'high', 'medium', 'low'];
  var OPS = { '+': 'added', '-': 'removed', '~': 'changed' };
  var PAGE = 200;
  var app = document.getElementById('app');

  // Bidirectional controls in host text (a file name with U+202E) would reorder what is shown: each is shown as its code point.
  var BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
  function show(text) {
    return String(text).replace(BIDI, function (c) { return '\u27E8U+' + c.charCodeAt(0).toString(16).toUpperCase() + '\u27E9'; });
  }

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === 'text') { node.textContent = show(attributes[name]); }
      else if (name === 'on') { Object.keys(attributes.on).forEach(function (e) { node.addEventListener(e, attributes.on[e]); }); }
      else if (attributes[name] !== null && attributes[name] !== undefined && attributes[name] !== false) { node.setAttribute(name, attributes[name]); }
    });
    (children || []).forEach(function (child) { if (child) { node.appendChild(typeof child === 'string' ? document.createTextNode(show(child)) : child); } });
    return node;
  }

  function svg(tag, attributes) {
    var node = document.createElementNS('http://www.w3.org/2000/svg', tag);
    Object.keys(attributes).forEach(function (name) { if (name === 'text') { node.textContent = show(attributes[name]); } else { node.setAttribute(name, attributes[name]); } });
    return node;
  }

  function parse(json) {
    if (json === null || json === undefined) { return undefined; }
    try { return JSON.parse(json); } catch (e) { return json; }
  }

  // A unified diff of two texts by lines: a longest common subsequence, '-' and '+' lines around the common ones.
  function unified(a, b) {
    var x = a.split('\n'), y = b.split('\n'), n = x.length, m = y.length;
    if (n * m > 4000000) { return null; }
    var table = [];
    for (var i = 0; i <= n; i++) { table.push(new Uint32Array(m + 1)); }
    for (i = n - 1; i >= 0; i--) {
      for (var j = m - 1; j >= 0; j--) {
        table[i][j] = x[i] === y[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
      }
    }
    var out = el('pre', { 'class': 'diff', 'aria-label': 'unified diff' });
    i = 0; j = 0;
    function line(kind, text) { out.appendChild(el('span', { 'class': kind, text: (kind === 'del' ? '-' : kind === 'add' ? '+' : ' ') + text })); if (kind === 'same') { out.appendChild(document.createTextNode('\n')); } }
    while (i < n || j < m) {
      if (i < n && j < m && x[i] === y[j]) { line('same', x[i]); i++; j++; }
      else if (i < n && (j === m || table[i + 1][j] >= table[i][j + 1])) { line('del', x[i]); i++; }
      else { line('add', y[j]); j++; }
    }
    return out;
  }

  function valueBlock(label, value, kind) {
    var text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
    return el('div', {}, [el('div', { 'class': 'path', text: label }), el('pre', { 'class': kind, 'data-side': kind, text: text })]);
  }

  function detail(line) {
    var oldValue = parse(line[5]), newValue = parse(line[6]);
    var command = 'infradiff accept ' + line[10] + ' --reason ""';
    var copy = el('button', { type: 'button', 'class': 'copy', text: 'copy' });
    copy.addEventListener('click', function () {
      var done = function () { copy.textContent = 'copied'; };
      if (navigator.clipboard && navigator.clipboard.writeText) { navigator.clipboard.writeText(command).then(done, function () { copy.textContent = 'select and copy'; }); }
    });
    var children = [el('div', { 'class': 'path', text: line[4] }), el('p', { 'class': 'accept' }, ['Accept this change: ', el('code', { 'class': 'command', text: command }), ' ', copy])];
    if (line[8]) { children.push(el('p', { text: 'Explained by ' + line[8] + (line[7] > 1 ? ' (' + line[7].toLocaleString('en') + ' changes)' : '') })); }
    if (line[9]) {
      children.push(el('pre', { 'class': 'paths', text: line[9].join('\n') + (line[7] > line[9].length ? '\n… and ' + (line[7] - line[9].length).toLocaleString('en') + ' more' : '') }));
    }
    if (typeof oldValue === 'string' && typeof newValue === 'string' && (oldValue.indexOf('\n') >= 0 || newValue.indexOf('\n') >= 0)) {
      children.push(unified(oldValue, newValue) || el('div', { 'class': 'sides' }, [valueBlock('old', oldValue, 'old'), valueBlock('new', newValue, 'new')]));
    } else if (oldValue !== undefined && newValue !== undefined) {
      children.push(el('div', { 'class': 'sides' }, [valueBlock('old', oldValue, 'old'), valueBlock('new', newValue, 'new')]));
    } else if (newValue !== undefined) {
      children.push(valueBlock('new', newValue, 'new'));
    } else if (oldValue !== undefined) {
      children.push(valueBlock('old', oldValue, 'old'));
    }
    return children;
  }

  function row(reportIndex, lineIndex, line) {
    var id = 'c-' + reportIndex + '-' + lineIndex;
    var panel = el('div', { 'class': 'detail', id: id + '-detail', hidden: 'hidden', role: 'region', 'aria-label': 'old and new values' });
    var severity = SEVERITIES[line[0]];
    var toggle = el('button', { 'class': 'row', type: 'button', 'aria-expanded': 'false', 'aria-controls': id + '-detail' }, [
      el('span', { 'class': 'op', 'aria-label': OPS[line[1]], text: line[1] }),
      el('span', { 'class': 'sev sev-' + severity, text: severity }),
      el('code', { 'class': 'id', text: line[10] }),
      el('span', { 'class': 'text', text: line[3] })
    ]);
    toggle.addEventListener('click', function () { expand(item, toggle.getAttribute('aria-expanded') !== 'true'); });
    var item = el('li', { 'class': 'change', id: id, 'data-severity': severity, 'data-category': line[2] }, [
      el('div', { style: null }, [toggle]),
      el('a', { 'class': 'link', href: '#' + id, 'aria-label': 'permalink to this change', text: 'link' }),
      panel
    ]);
    item.expand = function (open) {
      if (open && !panel.firstChild) { detail(line).forEach(function (c) { panel.appendChild(c); }); }
      if (open) { panel.removeAttribute('hidden'); } else { panel.setAttribute('hidden', 'hidden'); }
      toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
    };
    return item;
  }

  function expand(item, open) { item.expand(open); }

  // The change view of one report: summary, filters, critical and high first, then a section per category.
  function changeView(reportIndex, container) {
    var report = data.reports[reportIndex];
    var state = { severities: { critical: true, high: true, medium: true, low: true }, category: '', text: '' };
    container.textContent = '';
    container.appendChild(el('h2', { id: 'summary', text: report.summary }));
    container.appendChild(el('p', { 'class': 'meta', text: report.title }));
    var filters = el('div', { 'class': 'filters', role: 'group', 'aria-label': 'filters' });
    SEVERITIES.forEach(function (severity) {
      var count = report.counts[severity] || 0;
      var button = el('button', { type: 'button', 'aria-pressed': 'true', 'data-filter': severity, text: severity + ' (' + count.toLocaleString('en') + ')' });
      button.addEventListener('click', function () {
        state.severities[severity] = !state.severities[severity];
        button.setAttribute('aria-pressed', state.severities[severity] ? 'true' : 'false');
        render();
      });
      filters.appendChild(button);
    });
    var select = el('select', { 'aria-label': 'category', 'data-filter': 'category' }, [el('option', { value: '', text: 'all categories' })]);
    report.categories.forEach(function (c) { select.appendChild(el('option', { value: c[0], text: c[0] })); });
    select.addEventListener('change', function () { state.category = select.value; render(); });
    var search = el('input', { type: 'search', placeholder: 'filter text', 'aria-label': 'filter text', 'data-filter': 'text' });
    search.addEventListener('input', function () { state.text = search.value.toLowerCase(); render(); });
    filters.appendChild(select);
    filters.appendChild(search);
    var shown = el('span', { 'class': 'meta', 'aria-live': 'polite', id: 'shown' });
    filters.appendChild(shown);
    container.appendChild(filters);
    var body = el('div', { id: 'changes' });
    container.appendChild(body);
    var tail = el('div');
    container.appendChild(tail);
    if (report.hidden) { tail.appendChild(el('p', { 'class': 'notice', text: report.hidden })); }
    if (report.unknown.length) {
      tail.appendChild(el('h3', { text: 'not compared' }));
      tail.appendChild(el('ul', {}, report.unknown.map(function (u) { return el('li', { text: u[0] + (u[1] ? ' ' + u[1] : '') + ': ' + u[2] }); })));
    }
    if (report.waived && report.waived.length) {
      tail.appendChild(el('h3', { text: 'waived (' + report.waived.length + ')' }));
      tail.appendChild(el('ul', { 'class': 'waived' }, report.waived.map(function (w) { return el('li', {}, [el('code', { 'class': 'id', text: w[0] }), ' [' + w[1] + '] ' + w[2] + ': ' + w[3] + ' — ' + w[4]]); })));
    }
    report.notices.forEach(function (n) { tail.appendChild(el('p', { 'class': 'notice', text: n })); });

    function visible(line) {
      return state.severities[SEVERITIES[line[0]]] && (!state.category || line[2] === state.category)
        && (!state.text || (line[3] + ' ' + line[4] + ' ' + line[2] + ' ' + line[10]).toLowerCase().indexOf(state.text) >= 0);
    }

    function render(reveal) {
      body.textContent = '';
      var total = 0;
      report.categories.forEach(function (c) {
        var indices = [];
        report.lines.forEach(function (line, i) { if (line[2] === c[0] && (visible(line) || i === reveal)) { indices.push(i); } });
        if (!indices.length) { return; }
        total += indices.length;
        var section = el('section', { 'aria-label': c[0], 'data-category': c[0] }, [el('h3', { text: c[0] + ' (' + c[1] + ')' })]);
        var list = el('ul', { 'class': 'changes' });
        section.appendChild(list);
        var limit = reveal !== undefined && indices.indexOf(reveal) >= 0 ? Math.max(PAGE, indices.indexOf(reveal) + 1) : PAGE;
        function page(from) {
          indices.slice(from, from + limit).forEach(function (i) { list.appendChild(row(reportIndex, i, report.lines[i])); });
          var rest = indices.length - (from + limit);
          if (rest > 0) {
            var more = el('button', { type: 'button', 'class': 'more', text: 'show ' + Math.min(rest, PAGE).toLocaleString('en') + ' more of ' + rest.toLocaleString('en') });
            more.addEventListener('click', function () { more.remove(); var next = from + limit; limit = PAGE; page(next); });
            section.appendChild(more);
          }
        }
        page(0);
        body.appendChild(section);
      });
      shown.textContent = total.toLocaleString('en') + ' of ' + report.lines.length.toLocaleString('en') + ' lines shown';
    }

    render();
    container.reveal = function (lineIndex) {
      render(lineIndex);
      var item = document.getElementById('c-' + reportIndex + '-' + lineIndex);
      if (item) { item.expand(true); item.classList.add('target'); item.scrollIntoView({ block: 'center' }); item.querySelector('button.row').focus(); }
    };
  }

  // The store view: a timeline of cycles (marks coloured by their most severe change, gaps where the watcher was down), counts per category, the cycles.
  function storeView() {
    var cycles = data.cycles;
    app.appendChild(el('h2', { id: 'summary', text: data.summary }));
    if (!cycles.length) { app.appendChild(el('p', { text: 'No cycles in this store for this period.' })); return; }
    var width = 1000, height = 110, start = Date.parse(cycles[0].t), end = Date.parse(cycles[cycles.length - 1].t), span = Math.max(end - start, 1);
    var timeline = svg('svg', { 'class': 'timeline', viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label': 'timeline of ' + cycles.length + ' cycles' });
    function x(t) { return 10 + (Date.parse(t) - start) / span * (width - 20); }
    var gap = (data.interval || 300) * 3 * 1000;
    for (var k = 1; k < cycles.length; k++) {
      if (Date.parse(cycles[k].t) - Date.parse(cycles[k - 1].t) > gap) {
        var g = svg('rect', { 'class': 'gap', x: x(cycles[k - 1].t), y: 10, width: Math.max(x(cycles[k].t) - x(cycles[k - 1].t), 1), height: 70 });
        g.appendChild(svg('title', { text: 'no cycle from ' + cycles[k - 1].t + ' to ' + cycles[k].t }));
        timeline.appendChild(g);
      }
    }
    var detail = el('div', { id: 'cycle' });
    var marks = [];
    cycles.forEach(function (cycle, index) {
      var worst = SEVERITIES.filter(function (s) { return (cycle.c[s] || 0) > 0; })[0] || 'none';
      var total = SEVERITIES.reduce(function (sum, s) { return sum + (cycle.c[s] || 0); }, 0);
      var h = worst === 'none' ? 6 : Math.min(70, 12 + Math.log(1 + total) * 10);
      var mark = svg('rect', { 'class': 'mark mark-' + worst, x: x(cycle.t) - 2, y: 80 - h, width: 4, height: h, 'data-cycle': index, tabindex: cycle.r >= 0 ? 0 : -1 });
      mark.appendChild(svg('title', { text: cycle.t + ': ' + (cycle.first ? 'first snapshot' : total + ' changes') + (cycle.a ? ', alerted' : '') }));
      if (cycle.r >= 0) {
        mark.addEventListener('click', function () { select(index); });
        mark.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); select(index); } });
      }
      marks.push(mark);
      timeline.appendChild(mark);
      if (cycle.b) {
        var flag = svg('path', { 'class': 'baseline', d: 'M' + (x(cycle.t) - 5) + ' 2 h10 l-5 7 z', 'data-baseline': index });
        flag.appendChild(svg('title', { text: cycle.t + ': baseline written' }));
        timeline.appendChild(flag);
      }
    });
    timeline.appendChild(svg('text', { 'class': 'axis', x: 10, y: 100, text: cycles[0].t }));
    timeline.appendChild(svg('text', { 'class': 'axis', x: width - 10, y: 100, 'text-anchor': 'end', text: cycles[cycles.length - 1].t }));
    app.appendChild(timeline);

    // Changes per category, per day.
    var days = {}, categories = {};
    cycles.forEach(function (cycle) {
      var day = cycle.t.slice(0, 10);
      days[day] = days[day] || {};
      Object.keys(cycle.cat).forEach(function (c) { categories[c] = true; days[day][c] = (days[day][c] || 0) + cycle.cat[c]; });
    });
    var names = Object.keys(categories).sort();
    if (names.length) {
      app.appendChild(el('h3', { text: 'changes per category and day' }));
      var table = el('table', { 'class': 'categories' }, [el('thead', {}, [el('tr', {}, [el('th', { scope: 'col', text: 'day' })].concat(names.map(function (n) { return el('th', { scope: 'col', text: n }); })))])]);
      var tbody = el('tbody');
      Object.keys(days).sort().forEach(function (day) {
        tbody.appendChild(el('tr', {}, [el('th', { scope: 'row', text: day })].concat(names.map(function (n) { return el('td', { text: String(days[day][n] || 0) }); }))));
      });
      table.appendChild(tbody);
      app.appendChild(table);
    }

    app.appendChild(el('h3', { text: 'cycles that alerted' }));
    var list = el('table', { 'class': 'cycles' }, [el('thead', {}, [el('tr', {}, ['time', 'changes', 'critical', 'high', 'medium', 'low', ''].map(function (h) { return el('th', { scope: 'col', text: h }); }))])]);
    var rows = el('tbody');
    cycles.forEach(function (cycle, index) {
      if (cycle.r < 0) { return; }
      var open = el('button', { type: 'button', 'data-cycle': index, text: 'show' });
      open.addEventListener('click', function () { select(index); });
      rows.appendChild(el('tr', {}, [el('td', { text: cycle.t }), el('td', { text: String(SEVERITIES.reduce(function (s, v) { return s + (cycle.c[v] || 0); }, 0)) })]
        .concat(SEVERITIES.map(function (s) { return el('td', { text: String(cycle.c[s] || 0) }); })).concat([el('td', {}, [open])])));
    });
    list.appendChild(rows);
    app.appendChild(list);
    app.appendChild(detail);

    function select(index) {
      marks.forEach(function (m) { m.classList.remove('selected'); });
      marks[index].classList.add('selected');
      changeView(cycles[index].r, detail);
      detail.scrollIntoView({ block: 'start' });
    }
    app.select = select;
  }

  function follow() {
    var match = /^#c-(\d+)-(\d+)$/.exec(location.hash);
    if (!match) { return; }
    var reportIndex = +match[1], lineIndex = +match[2];
    var container = app;
    if (data.kind === 'history') {
      var cycle = data.cycles.findIndex(function (c) { return c.r === reportIndex; });
      if (cycle < 0) { return; }
      app.select(cycle);
      container = document.getElementById('cycle');
    }
    if (container.reveal) { container.reveal(lineIndex); }
  }

  if (data.kind === 'history') { storeView(); } else { changeView(0, app); }
  window.addEventListener('hashchange', follow);
  follow();
  document.documentElement.setAttribute('data-ready', 'true');
}());
