// Enhances the build-time time axis (section[data-chrono]): zoom and pan,
// a brush to select a period, and the link between the axis, the map and
// the list on the same page. Selecting a period shows on the map only the
// places of the events and articles in it and hides the rest of the list;
// clicking a place on the map narrows the axis and the list to it. The
// state lives in the address (#from=2018-06&to=2018-08&place=idlib) so a
// view can be linked. Without this script the axis is still a set of
// links and the page lists everything.
//
// On a long list the axis shows the whole list while the page lists a part
// of it, and past a few hundred items the axis draws groups rather than
// items: one mark per lane and period, standing for data-n items, with
// data-place-counts saying how many of them name each place ("i:n", i the
// place's position in the axis's data-place-list). The counts, the density
// and the place filter then weigh each group by its items.

import { enhance as enhanceMap } from "./map.js";

const SVG = "http://www.w3.org/2000/svg";
const DAY = 86400000;
const MIN_SPAN = 45 * DAY;

// Dates are days at midnight UTC, in milliseconds; an end is exclusive.
function parseDay(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || "");
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) : NaN;
}

// parseBound reads YYYY, YYYY-MM or YYYY-MM-DD as the start of that period
// (end = false) or as the end just after it (end = true).
function parseBound(s, end) {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(s || "");
  if (!m) return NaN;
  const y = +m[1];
  if (m[3]) return Date.UTC(y, +m[2] - 1, +m[3] + (end ? 1 : 0));
  if (m[2]) return Date.UTC(y, +m[2] - 1 + (end ? 1 : 0), 1);
  return Date.UTC(y + (end ? 1 : 0), 0, 1);
}

const pad = (n) => String(n).padStart(2, "0");
const isMonthStart = (t) => new Date(t).getUTCDate() === 1;

function fmtBound(t, end) {
  const d = new Date(end ? t - DAY : t);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

// The address writes whole months as YYYY-MM, anything else as days.
function hashBounds(from, to) {
  if (isMonthStart(from) && isMonthStart(to)) return [fmtBound(from, false).slice(0, 7), fmtBound(to, true).slice(0, 7)];
  return [fmtBound(from, false), fmtBound(to, true)];
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

function human(from, to) {
  const a = new Date(from);
  const b = new Date(to - DAY);
  if (isMonthStart(from) && isMonthStart(to)) {
    const s = `${MONTHS[a.getUTCMonth()]} ${a.getUTCFullYear()}`;
    const e = `${MONTHS[b.getUTCMonth()]} ${b.getUTCFullYear()}`;
    return s === e ? s : `${s} to ${e}`;
  }
  const day = (d) => `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  return day(a) === day(b) ? day(a) : `${day(a)} to ${day(b)}`;
}

function el(name, attrs, parent) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (parent) parent.append(e);
  return e;
}

function enhance(root) {
  const svg = root.querySelector("svg.ct-axis");
  if (!svg || svg.dataset.enhanced) return;
  svg.dataset.enhanced = "1";
  const figure = svg.closest("figure");
  const mapFig = root.querySelector("figure[data-map]");
  const ds = svg.dataset;
  const x0 = +ds.x0;
  const x1 = +ds.x1;
  const axisY = +ds.axisY;
  const bounds = { min: parseDay(ds.min), max: parseDay(ds.max) };
  const home = { from: parseDay(ds.from), to: parseDay(ds.to) };
  let view = { ...home };
  const plot = svg.querySelector(".ct-plot");
  const plotTop = +plot.getAttribute("y");
  const plotH = +plot.getAttribute("height");

  const placeList = (ds.placeList || "").split(" ");
  const items = [...svg.querySelectorAll("a.ct-item")].map((a) => {
    const group = a.dataset.placeCounts !== undefined;
    const pairs = group ? a.dataset.placeCounts.split(" ").filter(Boolean).map((p) => p.split(":")) : [];
    const counts = new Map(pairs.map(([i, n]) => [placeList[+i], +n]));
    return {
      el: a,
      shape: a.querySelector("circle, rect"),
      kind: a.dataset.kind,
      start: parseDay(a.dataset.start),
      end: parseDay(a.dataset.end) + DAY,
      places: group ? [...counts.keys()] : (a.dataset.places || "").split(" ").filter(Boolean),
      group,
      n: +(a.dataset.n || 1),
      counts,
    };
  });
  // years: the years that have a page of the timeline, for the labels.
  const yearURL = ds.yearUrl || "";
  const years = new Set((ds.years || "").split(" ").filter(Boolean).map(Number));
  const entries = [...document.querySelectorAll("main [data-start]")]
    .filter((e) => !svg.contains(e))
    .map((e) => ({
      el: e,
      start: parseDay(e.dataset.start),
      end: parseDay(e.dataset.end || e.dataset.start) + DAY,
      places: (e.dataset.places || "").split(" ").filter(Boolean),
    }));
  const groups = [...document.querySelectorAll("main li.month, main li.year")];
  // paged: the page lists a part of what the axis shows.
  const paged = !!document.querySelector("main nav.pager, main .latest-year");
  const markers = mapFig ? [...mapFig.querySelectorAll("a.ct-marker")] : [];
  const placeNames = new Map(markers.map((m) => [m.dataset.id, m.dataset.name]));

  // ---- state and the address ----
  const state = { from: NaN, to: NaN, place: "" };
  const hasSel = () => Number.isFinite(state.from) && Number.isFinite(state.to) && state.to > state.from;

  function readHash() {
    const h = location.hash.slice(1);
    if (!/(^|&)(from|to|place)=/.test(h)) return false;
    const q = new URLSearchParams(h);
    const from = parseBound(q.get("from"), false);
    const to = parseBound(q.get("to"), true);
    state.from = Number.isFinite(from) ? from : Number.isFinite(to) ? bounds.min : NaN;
    state.to = Number.isFinite(to) ? to : Number.isFinite(from) ? bounds.max : NaN;
    state.place = (q.get("place") || "").toLowerCase();
    if (hasSel()) {
      // Show the selected period with some room around it.
      if (state.from < view.from || state.to > view.to) {
        view = { from: Math.max(bounds.min, Math.min(view.from, state.from)), to: Math.min(bounds.max, Math.max(view.to, state.to)) };
      }
    }
    return true;
  }

  function writeHash() {
    const q = [];
    if (hasSel()) {
      const [f, t] = hashBounds(state.from, state.to);
      q.push(`from=${f}`, `to=${t}`);
    }
    if (state.place) q.push(`place=${encodeURIComponent(state.place)}`);
    const url = location.pathname + location.search + (q.length ? `#${q.join("&")}` : "");
    history.replaceState(null, "", url);
  }

  // ---- scale ----
  const xOf = (t) => x0 + ((t - view.from) / (view.to - view.from)) * (x1 - x0);
  const tOf = (x) => view.from + ((x - x0) / (x1 - x0)) * (view.to - view.from);
  const span = () => view.to - view.from;
  // The brush snaps to months on a wide view, to days on a narrow one.
  const byMonth = () => span() > 400 * DAY;

  function snap(t, up) {
    const d = new Date(t);
    if (byMonth()) {
      const m = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
      return up && m < t ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) : m;
    }
    const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    return up && day < t ? day + DAY : day;
  }

  function step(t, n) {
    if (byMonth()) {
      const d = new Date(t);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1);
    }
    return t + n * (span() > 120 * DAY ? 7 : 1) * DAY;
  }

  // ---- drawing ----
  const ticks = svg.querySelector(".ct-ticks");
  const lanes = [...ticks.querySelectorAll(".ct-lane")];
  const density = svg.querySelector(".ct-density");
  const more = svg.querySelector(".ct-more") || el("text", { class: "ct-more", x: x0 + 2, y: axisY - 3 }, svg);
  const later = el("text", { class: "ct-more", x: x1 - 2, y: axisY - 3, "text-anchor": "end" }, svg);
  const brush = el("g", { class: "ct-brush", "aria-hidden": "true" }, svg);
  const selRect = el("rect", { class: "ct-sel", y: plotTop, height: plotH }, brush);
  const handleW = el("rect", { class: "ct-handle", "data-edge": "from", y: plotTop, height: plotH, width: 8 }, brush);
  const handleE = el("rect", { class: "ct-handle", "data-edge": "to", y: plotTop, height: plotH, width: 8 }, brush);

  function drawTicks() {
    for (const c of [...ticks.children]) if (!lanes.includes(c)) c.remove();
    const pxDay = (x1 - x0) / (span() / DAY);
    const first = new Date(view.from).getUTCFullYear();
    const last = new Date(view.to).getUTCFullYear();
    const every = pxDay * 365 >= 34 ? 1 : pxDay * 365 * 2 >= 34 ? 2 : pxDay * 365 * 5 >= 34 ? 5 : 10;
    for (let y = first; y <= last; y++) {
      const t = Date.UTC(y, 0, 1);
      if (t >= view.from && t <= view.to) {
        const x = xOf(t);
        el("line", { class: "ct-year", x1: x, x2: x, y1: plotTop, y2: axisY + 6 }, ticks);
        if (y % every === 0 && x < x1 - 24) {
          const parent = yearURL && years.has(y) ? el("a", { class: "ct-ylink", href: yearURL.replace("{year}", y) }, ticks) : ticks;
          el("text", { class: "ct-ylabel", x: x + 3, y: axisY + 18 }, parent).textContent = String(y);
        }
      }
      if (pxDay * 30 >= 10) {
        for (let m = 1; m < 12; m++) {
          const tm = Date.UTC(y, m, 1);
          if (tm < view.from || tm > view.to) continue;
          const x = xOf(tm);
          el("line", { class: "ct-month", x1: x, x2: x, y1: axisY, y2: axisY + 4 }, ticks);
          if (pxDay * 30 >= 44) el("text", { class: "ct-mlabel", x: x + 3, y: axisY + 18 }, ticks).textContent = MONTHS[m].slice(0, 3);
        }
      }
    }
    el("line", { class: "ct-base", x1: x0, x2: x1, y1: axisY, y2: axisY }, ticks);
  }

  // Density: months on a wide view, weeks on a narrow one; a period adds
  // to each bin its share.
  function drawDensity() {
    const narrow = span() < 240 * DAY;
    const bins = [];
    let t = byMonth() || !narrow ? snapMonth(view.from) : view.from - ((new Date(view.from).getUTCDay() + 6) % 7) * DAY;
    while (t < view.to) {
      const next = narrow ? t + 7 * DAY : Date.UTC(new Date(t).getUTCFullYear(), new Date(t).getUTCMonth() + 1, 1);
      bins.push({ start: t, end: next, n: 0 });
      t = next;
    }
    for (const it of items) {
      if (!visible(it)) continue;
      const len = it.end - it.start;
      const w = weight(it);
      for (const b of bins) {
        const o = Math.min(b.end, it.end) - Math.max(b.start, it.start);
        // An article is one day; a period or a group spreads over its days.
        if (o > 0) b.n += it.kind === "article" && !it.group ? 1 : (w * o) / len;
      }
    }
    const peak = Math.max(1e-9, ...bins.map((b) => b.n));
    density.replaceChildren();
    const top = plotTop + 6;
    const h = 34;
    for (const b of bins) {
      if (b.n <= 0) continue;
      const xa = Math.max(x0, xOf(b.start));
      const xb = Math.min(x1, xOf(b.end));
      const bh = Math.max(1.5, (h * b.n) / peak);
      el("rect", { class: "ct-bin", x: xa, y: top + h - bh, width: Math.max(0.5, xb - xa - 0.6), height: bh }, density);
    }
  }

  function snapMonth(t) {
    const d = new Date(t);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  }

  // visible: the item matches the place filter (the period only dims).
  const visible = (it) => !state.place || it.places.includes(state.place);
  // weight: how many articles or events a mark stands for under the
  // place filter.
  const weight = (it) => (!it.group ? 1 : state.place ? it.counts.get(state.place) || 0 : it.n);
  const inPeriod = (it) => !hasSel() || (it.start < state.to && it.end > state.from);

  function drawItems() {
    const dayW = (x1 - x0) / (span() / DAY);
    let before = 0;
    let after = 0;
    for (const it of items) {
      const out = it.end <= view.from || it.start >= view.to;
      if (it.end <= view.from) before += it.n;
      if (it.start >= view.to) after += it.n;
      it.el.classList.toggle("ct-outside", out);
      if (out) continue;
      const a = xOf(it.start);
      const b = xOf(it.end);
      if (it.shape.tagName === "circle") {
        it.shape.setAttribute("cx", (it.kind === "article" ? a + dayW / 2 : (a + b) / 2).toFixed(2));
      } else {
        const xa = Math.max(x0, a);
        const xb = Math.min(x1, b);
        const w = Math.max(3, xb - xa);
        it.shape.setAttribute("x", (xb - xa < 3 ? (xa + xb) / 2 - 1.5 : xa).toFixed(2));
        it.shape.setAttribute("width", w.toFixed(2));
      }
    }
    more.textContent = before ? `← ${before} earlier` : "";
    later.textContent = after ? `${after} later →` : "";
  }

  function drawBrush() {
    if (!hasSel()) {
      brush.style.display = "none";
      return;
    }
    brush.style.display = "";
    const a = Math.max(x0, Math.min(x1, xOf(state.from)));
    const b = Math.max(x0, Math.min(x1, xOf(state.to)));
    selRect.setAttribute("x", a.toFixed(2));
    selRect.setAttribute("width", Math.max(1, b - a).toFixed(2));
    handleW.setAttribute("x", (a - 4).toFixed(2));
    handleE.setAttribute("x", (b - 4).toFixed(2));
  }

  // ---- the filter: axis, list and map ----
  const status = document.createElement("p");
  status.className = "chrono-status";
  status.setAttribute("aria-live", "polite");
  const clear = document.createElement("button");
  clear.type = "button";
  clear.className = "chrono-clear";
  clear.textContent = "Show everything";
  clear.addEventListener("click", () => {
    state.from = state.to = NaN;
    state.place = "";
    update();
  });
  const statusText = document.createElement("span");
  status.append(statusText, " ", clear);

  function filter() {
    const periodPlaces = new Set();
    let nA = 0;
    let nE = 0;
    for (const it of items) {
      const shown = inPeriod(it) && visible(it);
      it.el.classList.toggle("ct-dim", !shown);
      if (inPeriod(it)) for (const p of it.places) periodPlaces.add(p);
      if (shown) it.kind === "article" ? (nA += weight(it)) : (nE += weight(it));
    }
    let onPage = 0;
    for (const e of entries) {
      e.el.hidden = !((!hasSel() || (e.start < state.to && e.end > state.from)) && (!state.place || e.places.includes(state.place)));
      if (!e.el.hidden) onPage++;
    }
    for (const g of groups) g.hidden = !g.querySelector("[data-start]:not([hidden])");
    for (const m of markers) {
      const id = m.dataset.id;
      const hide = hasSel() && !periodPlaces.has(id) && id !== state.place;
      m.style.display = hide ? "none" : "";
      m.classList.toggle("ct-selected", id === state.place);
    }
    if (mapFig) mapFig.dispatchEvent(new CustomEvent("ct-map-filter"));
    const parts = [];
    if (hasSel()) parts.push(human(state.from, state.to));
    if (state.place) parts.push(`in ${placeNames.get(state.place) || state.place}`);
    if (parts.length) {
      status.hidden = false;
      statusText.textContent = `${nA} ${nA === 1 ? "article" : "articles"} and ${nE} ${nE === 1 ? "event" : "events"}: ${parts.join(", ")}. ` +
        (hasSel() ? `The map shows the ${periodPlaces.size} ${periodPlaces.size === 1 ? "place" : "places"} they name.` : "") +
        (paged ? (onPage ? ` ${onPage} ${onPage === 1 ? "entry is" : "entries are"} on this page.` : " None is on this page: the marks on the axis lead to the pages that list them.") : "");
    } else {
      status.hidden = true;
      statusText.textContent = "";
    }
    svg.setAttribute("aria-valuetext", hasSel() ? human(state.from, state.to) : "no period selected");
  }

  function redraw() {
    drawTicks();
    drawDensity();
    drawItems();
    drawBrush();
  }

  function update(keepHash) {
    redraw();
    filter();
    if (!keepHash) writeHash();
  }

  // ---- zoom and pan ----
  function setView(from, to) {
    let s = Math.max(MIN_SPAN, to - from);
    s = Math.min(s, bounds.max - bounds.min);
    from = Math.max(bounds.min, Math.min(from, bounds.max - s));
    view = { from, to: from + s };
    update(true);
  }
  function zoom(f, at) {
    const c = at ?? (hasSel() ? (state.from + state.to) / 2 : (view.from + view.to) / 2);
    setView(c - (c - view.from) / f, c + (view.to - c) / f);
  }
  const panBy = (frac) => setView(view.from + span() * frac, view.to + span() * frac);

  const bar = document.createElement("div");
  bar.className = "chrono-controls";
  for (const [label, text, fn] of [
    ["Zoom in", "+", () => zoom(2)],
    ["Zoom out", "−", () => zoom(0.5)],
    ["Earlier", "◀", () => panBy(-0.33)],
    ["Later", "▶", () => panBy(0.33)],
    ["Whole period", "⟲", () => setView(home.from, home.to)],
  ]) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.title = label;
    b.setAttribute("aria-label", label);
    b.addEventListener("click", fn);
    bar.append(b);
  }
  const hint = document.createElement("span");
  hint.className = "chrono-hint";
  hint.textContent = "Drag across the axis to select a period; with the axis focused, the arrow keys move it, Shift+arrows resize it, Escape clears it.";
  bar.append(hint);
  figure.before(status);
  figure.querySelector(".axis-frame").before(bar);

  // ---- the brush: pointer ----
  const toX = (evt) => {
    const r = svg.getBoundingClientRect();
    return ((evt.clientX - r.left) / r.width) * svg.viewBox.baseVal.width;
  };
  let drag = null;
  let dragged = false;
  svg.addEventListener("pointerdown", (evt) => {
    if (evt.button !== 0) return;
    const x = toX(evt);
    if (x < x0 - 4 || x > x1 + 4) return;
    // A year label leads to the year's page; it starts no brush.
    if (evt.target.closest("a.ct-ylink")) return;
    const edge = evt.target.closest(".ct-handle")?.dataset.edge;
    const inside = evt.target.closest(".ct-sel");
    const onItem = !!evt.target.closest("a.ct-item");
    drag = { x, edge, move: !!inside && !edge, onItem, from: state.from, to: state.to, moved: false };
    svg.setPointerCapture(evt.pointerId);
  });
  svg.addEventListener("pointermove", (evt) => {
    if (!drag) return;
    const x = toX(evt);
    if (!drag.moved && Math.abs(x - drag.x) < 3) return;
    drag.moved = true;
    const t = tOf(Math.max(x0, Math.min(x1, x)));
    if (drag.move) {
      const d = t - tOf(drag.x);
      const len = drag.to - drag.from;
      let f = snap(drag.from + d, false);
      f = Math.max(bounds.min, Math.min(f, bounds.max - len));
      state.from = f;
      state.to = f + len;
    } else if (drag.edge) {
      if (drag.edge === "from") state.from = Math.min(snap(t, false), state.to - DAY);
      else state.to = Math.max(snap(t, true), state.from + DAY);
    } else {
      const t0 = tOf(drag.x);
      state.from = snap(Math.min(t0, t), false);
      state.to = snap(Math.max(t0, t), true);
      if (state.to <= state.from) state.to = step(state.from, 1);
    }
    drawBrush();
    filter();
  });
  const end = () => {
    if (!drag) return;
    dragged = drag.moved;
    if (!drag.moved && !drag.edge && !drag.move && !drag.onItem) {
      // A click on the empty axis clears the period.
      if (hasSel()) {
        state.from = state.to = NaN;
      }
    }
    drag = null;
    update();
  };
  svg.addEventListener("pointerup", end);
  svg.addEventListener("pointercancel", end);
  // A drag that starts on an item must not also open it.
  svg.addEventListener("click", (evt) => {
    if (dragged) {
      evt.preventDefault();
      evt.stopPropagation();
      dragged = false;
    }
  }, true);
  svg.addEventListener("wheel", (evt) => {
    if (evt.ctrlKey || evt.metaKey) {
      evt.preventDefault();
      zoom(evt.deltaY < 0 ? 1.25 : 0.8, tOf(toX(evt)));
    } else if (Math.abs(evt.deltaX) > Math.abs(evt.deltaY) || evt.shiftKey) {
      evt.preventDefault();
      panBy(((evt.deltaX || evt.deltaY) > 0 ? 1 : -1) * 0.08);
    }
  }, { passive: false });

  // ---- the brush: keyboard ----
  svg.setAttribute("tabindex", "0");
  svg.setAttribute("aria-roledescription", "time axis");
  svg.setAttribute("aria-keyshortcuts", "ArrowLeft ArrowRight Shift+ArrowLeft Shift+ArrowRight Home End Escape + -");
  svg.addEventListener("keydown", (evt) => {
    if (evt.altKey || evt.ctrlKey || evt.metaKey) return;
    const k = evt.key;
    if (k === "+" || k === "=") zoom(2);
    else if (k === "-") zoom(0.5);
    else if (k === "Escape") {
      state.from = state.to = NaN;
      state.place = "";
      update();
    } else if (k === "ArrowLeft" || k === "ArrowRight" || k === "Home" || k === "End") {
      const dir = k === "ArrowLeft" ? -1 : 1;
      if (!hasSel()) {
        // The first key selects one step at the start of the view.
        state.from = snap(view.from, false);
        state.to = step(state.from, 1);
      } else if (k === "Home" || k === "End") {
        const len = state.to - state.from;
        state.from = k === "Home" ? snap(view.from, false) : snap(view.to - len, false);
        state.to = state.from + len;
      } else if (evt.shiftKey) {
        const t = step(state.to, dir);
        if (t > state.from) state.to = t;
      } else {
        const f = step(state.from, dir);
        const n = step(state.to, dir);
        if (f >= bounds.min && n <= bounds.max) {
          state.from = f;
          state.to = n;
        }
      }
      // Keep the brush in view.
      if (state.from < view.from) setView(state.from, state.from + span());
      else if (state.to > view.to) setView(state.to - span(), state.to);
      update();
    } else return;
    evt.preventDefault();
  });

  // ---- the map: a click on a place filters to it ----
  if (mapFig) {
    mapFig.addEventListener("click", (evt) => {
      const m = evt.target.closest("a.ct-marker");
      if (!m) return;
      evt.preventDefault();
      evt.stopPropagation();
      state.place = state.place === m.dataset.id ? "" : m.dataset.id;
      update();
    }, true);
  }

  window.addEventListener("hashchange", () => {
    if (readHash()) update(true);
  });
  readHash();
  update(true);
  // On a narrow screen the axis scrolls sideways: show the selected period,
  // or else the latest years.
  const frameEl = figure.querySelector(".axis-frame");
  if (frameEl.scrollWidth > frameEl.clientWidth) {
    const r = svg.getBoundingClientRect();
    const at = hasSel() ? (xOf(state.from) + xOf(state.to)) / 2 : x1;
    frameEl.scrollLeft = (at / svg.viewBox.baseVal.width) * r.width - frameEl.clientWidth / 2;
  }
  root.classList.add("enhanced");
  root.ctChrono = { state, view: () => ({ ...view }) };
}

// The later pages of a long list point to the first, which holds the axis
// and the map of the whole list (section[data-chrono-from]): they are
// brought from there, so each is written once and every page filters its
// own entries with them. The browser loads the first page as a document,
// as a link would, without running its scripts; the nodes are moved here
// as they are, and no string of the page becomes markup in this script.
// Should that fail, the link to the first page stays.
function loadPage(url) {
  return new Promise((resolve) => {
    const req = new XMLHttpRequest();
    req.open("GET", url);
    req.responseType = "document";
    req.onload = () => resolve(req.status === 200 ? req.responseXML : null);
    req.onerror = () => resolve(null);
    req.send();
  });
}

async function bring(placeholder) {
  const doc = await loadPage(placeholder.dataset.chronoFrom);
  const section = doc?.querySelector("main section[data-chrono]");
  if (!section) return;
  const root = document.importNode(section, true);
  placeholder.replaceWith(root);
  for (const f of root.querySelectorAll("figure[data-map]")) enhanceMap(f);
  enhance(root);
}

for (const r of document.querySelectorAll("[data-chrono]")) enhance(r);
for (const p of document.querySelectorAll("[data-chrono-from]")) bring(p);
