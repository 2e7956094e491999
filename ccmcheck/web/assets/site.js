// ccmcheck site: search by State name in the six UN languages, and the scorecard's filters and sorting.
// No dependency, no request: the index is window.CCM_STATES (assets/search-index.js). Without script,
// every page is complete; this only adds.
(function () {
  "use strict";
  function fold(s) {
    return s.normalize("NFKD").replace(/[\u0300-\u036f\u064b-\u065f\u0670]/g, "").toLocaleLowerCase();
  }

  function setupSearch() {
    var box = document.querySelector(".search");
    if (!box || !window.CCM_STATES) return;
    var root = box.getAttribute("data-root") || "";
    var input = box.querySelector("input"), list = box.querySelector(".results");
    var states = window.CCM_STATES.map(function (e) {
      return { e: e, keys: e.names.map(fold) };
    });
    box.hidden = false;
    function show() {
      var q = fold(input.value.trim());
      list.textContent = "";
      if (!q) { input.setAttribute("aria-expanded", "false"); return; }
      var hits = [];
      states.forEach(function (s) {
        var best = -1, which = "";
        s.keys.forEach(function (k, i) {
          var r = k.indexOf(q) === 0 ? 2 : (k.indexOf(" " + q) >= 0 ? 1 : (k.indexOf(q) >= 0 ? 0 : -1));
          if (r > best) { best = r; which = s.e.names[i]; }
        });
        if (best >= 0) hits.push({ s: s.e, rank: best, which: which });
      });
      hits.sort(function (a, b) { return b.rank - a.rank || a.s.name.localeCompare(b.s.name); });
      hits.slice(0, 12).forEach(function (h) {
        var li = document.createElement("li"), a = document.createElement("a");
        a.href = root + h.s.href;
        var name = document.createElement("bdi");
        name.textContent = h.s.name;
        a.appendChild(name);
        if (h.which !== h.s.name) {
          var also = document.createElement("span");
          also.className = "also";
          also.appendChild(document.createTextNode(" · "));
          var alt = document.createElement("bdi");
          alt.textContent = h.which;
          also.appendChild(alt);
          a.appendChild(also);
        }
        li.appendChild(a);
        list.appendChild(li);
      });
      if (!hits.length) {
        var li = document.createElement("li");
        li.textContent = "No State of this snapshot has that name.";
        list.appendChild(li);
      }
      input.setAttribute("aria-expanded", "true");
    }
    input.addEventListener("input", show);
    box.addEventListener("keydown", function (ev) {
      var links = Array.prototype.slice.call(list.querySelectorAll("a"));
      var i = links.indexOf(document.activeElement);
      if (ev.key === "ArrowDown" && links.length) { links[Math.min(i + 1, links.length - 1)].focus(); ev.preventDefault(); }
      else if (ev.key === "ArrowUp" && links.length) { (i <= 0 ? input : links[i - 1]).focus(); ev.preventDefault(); }
      else if (ev.key === "Enter" && document.activeElement === input && links.length) { links[0].click(); ev.preventDefault(); }
      else if (ev.key === "Escape") { input.value = ""; show(); input.focus(); }
    });
  }

  // Attention first: what needs action sorts before what is done; empty (no finding) last.
  var RANK = ["overdue", "not_reported", "unknown", "pending", "met_late", "holds", "met", "reported"];

  function cellKey(td) {
    var counts = td.getAttribute("data-counts");
    if (counts) {
      var c = JSON.parse(counts), best = RANK.length, n = 0;
      Object.keys(c).forEach(function (s) {
        var r = RANK.indexOf(s); if (r < 0) r = RANK.length - 1;
        if (r < best) { best = r; n = c[s]; }
      });
      return [best, -n];
    }
    var s = td.getAttribute("data-status");
    var r = s ? RANK.indexOf(s) : RANK.length + 1;
    return [r < 0 ? RANK.length : r, 0];
  }

  function setupScorecard() {
    var table = document.getElementById("sc"), form = document.getElementById("filters");
    if (!table || !form) return;
    form.hidden = false;
    var status = document.getElementById("f-status"), area = document.getElementById("f-area");
    var count = document.getElementById("f-count"), tbody = table.tBodies[0];
    var rows = Array.prototype.slice.call(tbody.rows);
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);

    function apply() {
      var s = status.value, a = area.value, shown = 0;
      heads.forEach(function (th, i) {
        if (i === 0) return;
        var off = a && th.getAttribute("data-area") !== a;
        th.classList.toggle("hidden-col", !!off);
        rows.forEach(function (tr) { tr.cells[i].classList.toggle("hidden-col", !!off); });
        var foot = table.tFoot.rows[0].cells[i];
        if (foot) foot.classList.toggle("hidden-col", !!off);
      });
      rows.forEach(function (tr) {
        var ok = !s || Array.prototype.some.call(tr.cells, function (td, i) {
          if (i === 0 || td.classList.contains("hidden-col")) return false;
          return (" " + (td.getAttribute("data-status") || "") + " ").indexOf(" " + s + " ") >= 0;
        });
        tr.classList.toggle("hidden-row", !ok);
        if (ok) shown++;
      });
      count.textContent = "Showing " + shown + " of " + rows.length + " States" +
        (s ? " with a finding " + status.options[status.selectedIndex].text : "") +
        (a ? " in " + area.options[area.selectedIndex].text : "") + ".";
      try {
        var p = new URLSearchParams();
        if (s) p.set("status", s);
        if (a) p.set("area", a);
        history.replaceState(null, "", location.pathname + (p.toString() ? "?" + p : "") + location.hash);
      } catch (e) { /* a page from disk may refuse; the filter still works */ }
    }

    function sortBy(index, dir) {
      heads.forEach(function (th) { th.removeAttribute("aria-sort"); });
      if (index !== null) heads[index].setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
      rows.sort(function (x, y) {
        var k;
        if (index === null) k = [+y.getAttribute("data-overdue") - +x.getAttribute("data-overdue"), 0];
        else if (index === 0) k = [x.getAttribute("data-name") < y.getAttribute("data-name") ? -1 :
                                   x.getAttribute("data-name") > y.getAttribute("data-name") ? 1 : 0, 0];
        else {
          var a = cellKey(x.cells[index]), b = cellKey(y.cells[index]);
          k = [a[0] - b[0], a[1] - b[1]];
        }
        var d = (k[0] || k[1]) * (index === null ? 1 : dir);
        return d || (x.getAttribute("data-name") < y.getAttribute("data-name") ? -1 : 1);
      });
      rows.forEach(function (tr) { tbody.appendChild(tr); });
    }

    heads.forEach(function (th, i) {
      var b = th.querySelector("button");
      if (!b) return;
      b.addEventListener("click", function () {
        sortBy(i, th.getAttribute("aria-sort") === "ascending" ? -1 : 1);
      });
    });
    status.addEventListener("change", apply);
    area.addEventListener("change", apply);
    document.getElementById("f-action").addEventListener("click", function () {
      status.value = "overdue"; apply(); sortBy(null, 1);
      count.textContent += " Most overdue obligations first.";
    });
    document.getElementById("f-reset").addEventListener("click", function () {
      status.value = ""; area.value = ""; apply(); sortBy(0, 1);
    });
    var q = new URLSearchParams(location.search);
    if (q.get("status")) status.value = q.get("status");
    if (q.get("area")) area.value = q.get("area");
    apply();
  }

  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) { d.open = true; });
  });
  setupSearch();
  setupScorecard();
})();
