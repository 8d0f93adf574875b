// cchc: the only script. Everything works without it; it adds hover-to-open on unit groups
// for mouse users and closes an open group when another opens or on Escape.
(function () {
  "use strict";
  var hover = window.matchMedia && window.matchMedia("(hover: hover) and (min-width: 801px)");
  var groups = document.querySelectorAll("details.grp");
  function closeOthers(except) {
    groups.forEach(function (g) { if (g !== except) g.open = false; });
  }
  groups.forEach(function (d) {
    d.addEventListener("toggle", function () { if (d.open) closeOthers(d); });
    d.addEventListener("mouseenter", function () {
      if (hover && hover.matches && !d.open) { d.open = true; d.dataset.hover = "1"; }
    });
    d.addEventListener("mouseleave", function () {
      if (d.dataset.hover) { d.open = false; delete d.dataset.hover; }
    });
    // A click on a group the mouse has just opened pins it open instead of closing it.
    d.querySelector("summary").addEventListener("click", function (e) {
      if (d.dataset.hover) { e.preventDefault(); delete d.dataset.hover; }
    });
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") closeOthers(null);
  });
})();

// Confirmations: a button or form with data-confirm asks first.
document.addEventListener("click", function (e) {
  var b = e.target.closest && e.target.closest("[data-confirm]");
  if (b && !window.confirm(b.getAttribute("data-confirm"))) e.preventDefault();
});

// The report form: drafts save as one types (PUT to the API with the version read), files
// upload as soon as they are chosen, and a stale version (409) stops saving without overwriting.
(function () {
  "use strict";
  var form = document.getElementById("bao-cao");
  if (!form) return;
  var api = form.dataset.api, csrf = form.dataset.csrf;
  var status = document.getElementById("autosave");
  var version = form.elements.version;
  var timer = null, saving = false, again = false, stale = false;
  function say(text, cls) { status.textContent = text; status.className = "autosave " + (cls || ""); }
  function collect() {
    var items = [];
    form.querySelectorAll("fieldset.item").forEach(function (fs) {
      var i = fs.dataset.idx, v = function (n) { var e = form.elements[n + i]; return e ? e.value.trim() : ""; };
      var evidence = [];
      fs.querySelectorAll(".ev-row").forEach(function (r) {
        var g = function (f) { return r.querySelector("[data-f=" + f + "]").value.trim(); };
        var files = g("files") ? g("files").split(",").filter(Boolean) : [];
        var ev = { number: g("number"), date: g("date") || null, issuer: g("issuer"), title: g("title"), files: files };
        if (ev.number || ev.date || ev.issuer || ev.title || files.length) evidence.push(ev);
      });
      items.push({ activity: fs.dataset.activity, status: v("s"), note: v("n"), evidence: evidence,
        difficulties: v("k"), proposals: v("d") });
    });
    var targets = [];
    form.querySelectorAll("[data-target]").forEach(function (t) {
      if (t.value.trim()) targets.push({ target: t.dataset.target, value: t.value.trim(), evidence: [] });
    });
    return { version: Number(version.value), items: items, targets: targets };
  }
  function save() {
    if (stale) return;
    if (saving) { again = true; return; }
    saving = true;
    say("Đang lưu…");
    fetch(api, { method: "PUT", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(collect()) })
      .then(function (r) { return r.json().then(function (j) { return { r: r, j: j }; }); })
      .then(function (x) {
        if (x.r.ok) {
          version.value = x.j.version;
          var d = new Date();
          say("Đã lưu lúc " + String(d.getHours()).padStart(2, "0") + ":" + String(d.getMinutes()).padStart(2, "0"), "ok");
        } else if (x.r.status === 409) {
          stale = true;
          say("Có người khác vừa lưu báo cáo này; tải lại trang để xem bản mới", "error");
        } else {
          say(x.j.message || ("Lỗi " + x.r.status), "error");
        }
      })
      .catch(function () { say("Mất kết nối; chưa lưu được, sẽ thử lại khi bạn nhập tiếp", "error"); })
      .finally(function () { saving = false; if (again) { again = false; save(); } });
  }
  function later() { clearTimeout(timer); timer = setTimeout(save, 700); }
  form.addEventListener("input", function (e) { if (e.target.type !== "file") later(); });
  form.addEventListener("change", function (e) {
    var t = e.target;
    if (t.type !== "file") { later(); return; }
    if (!t.files.length) return;
    var row = t.closest(".ev-row"), fd = new FormData();
    fd.append("file", t.files[0]);
    say("Đang tải tệp lên…");
    fetch(api + "/files", { method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": csrf }, body: fd })
      .then(function (r) { return r.json().then(function (j) { return { r: r, j: j }; }); })
      .then(function (x) {
        if (!x.r.ok) { say(x.j.message || ("Lỗi " + x.r.status), "error"); return; }
        var hidden = row.querySelector("[data-f=files]");
        hidden.value = hidden.value ? hidden.value + "," + x.j.id : x.j.id;
        var a = document.createElement("a");
        a.href = "/api/v1/files/" + x.j.id; a.className = "file"; a.textContent = x.j.name;
        row.querySelector(".files").append(a, " ");
        t.value = "";
        save();
      })
      .catch(function () { say("Không tải được tệp lên", "error"); });
  });
  // Submitting by the form sends what is on screen with the latest version; stop autosave.
  form.addEventListener("submit", function () { clearTimeout(timer); stale = true; });
  form.querySelectorAll("button.add-ev").forEach(function (b) {
    b.addEventListener("click", function () {
      var rows = b.parentNode.querySelectorAll(".ev-row"), last = rows[rows.length - 1];
      var copy = last.cloneNode(true), k = rows.length, i = b.dataset.idx;
      copy.querySelectorAll("input").forEach(function (inp) {
        inp.value = "";
        inp.name = "e" + i + "." + k + "." + inp.dataset.f;
      });
      copy.querySelector(".files").textContent = "";
      b.parentNode.insertBefore(copy, b);
    });
  });
})();

// The import page (/nhap-du-lieu): uploads the file as the request body, then polls the job
// until it is done.
document.querySelectorAll('form.import').forEach(form => {
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const file = form.querySelector('input[type=file]').files[0];
    if (!file) return;
    const columns = form.querySelector('input[name=columns]').value;
    const whole = form.querySelector('input[name=whole]');
    const bar = document.getElementById('import-progress');
    const text = document.getElementById('import-progress-text');
    const result = document.getElementById('import-result');
    bar.hidden = false; bar.value = 0; result.textContent = '';
    text.textContent = 'Đang tải tệp lên…';
    const url = '/nhap-du-lieu/' + form.dataset.kind + '?ten=' + encodeURIComponent(file.name) +
      (columns ? '&cot=' + encodeURIComponent(columns) : '') +
      (whole && whole.checked ? '&toan_bo=1' : '');
    const csrf = document.getElementById('import-status').dataset.csrf;
    const res = await fetch(url, {method: 'POST', body: file, credentials: 'same-origin',
      headers: {'X-CSRF-Token': csrf}});
    if (!res.ok) { text.textContent = 'Lỗi: ' + await res.text(); return; }
    const {job} = await res.json();
    for (;;) {
      const s = await (await fetch('/nhap-du-lieu/tien-do/' + job)).json();
      const p = s.progress;
      if (p.size > 0) bar.value = Math.min(100, Math.floor(p.bytes * 100 / p.size));
      text.textContent = p.rows.toLocaleString('vi-VN') + ' dòng, ' +
        Math.round(p.rows * 1000 / Math.max(1, p.elapsed_ms)).toLocaleString('vi-VN') + ' dòng/giây';
      if (s.done) {
        bar.value = 100;
        if (s.summary) {
          result.innerHTML = '';
          const ok = document.createElement('p'); ok.className = 'import-ok';
          ok.textContent = 'Đã nhập ' + s.file + ': ' + s.summary + '.';
          result.appendChild(ok);
          const link = document.createElement('a'); link.href = '/chi-so'; link.textContent = 'Xem chỉ số';
          result.appendChild(link);
        } else {
          const head = document.createElement('p'); head.className = 'import-failed';
          head.textContent = 'Tệp ' + s.file + ' có ' + s.error_total + ' lỗi, không nhập gì:';
          const ul = document.createElement('ul');
          s.errors.forEach(e => { const li = document.createElement('li'); li.textContent = e; ul.appendChild(li); });
          result.replaceChildren(head, ul);
          if (s.error_total > s.errors.length) {
            const more = document.createElement('p'); more.textContent = '… và ' + (s.error_total - s.errors.length) + ' lỗi khác';
            result.appendChild(more);
          }
        }
        return;
      }
      await new Promise(r => setTimeout(r, 300));
    }
  });
});
