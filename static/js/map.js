// Enhances the server-rendered SVG maps: pan and zoom, a popup for each
// marker with its articles, clustering of crowded markers, keyboard access
// and, where the site asks for them, tiles. Without this script every map
// still works: markers are links to their place pages and carry a tooltip,
// and the same places are listed beside the map.
//
// Keys, with the focus on the map or one of its markers: arrows pan, + and
// - zoom, 0 resets; Tab moves between markers, Enter opens a popup, Escape
// closes it.

import { initClusters } from "./map-cluster.js";
import { initTiles } from "./map-tiles.js";
import { popupBody } from "./map-popup.js";

const MIN_ZOOM = 1;
const MAX_ZOOM = 16;

// enhance makes one figure[data-map] interactive; it is exported for maps
// a script adds to the page after it loaded (see chrono.js).
export function enhance(figure) {
  const frame = figure.querySelector(".map-frame");
  const svg = frame && frame.querySelector("svg");
  if (!svg || svg.dataset.enhanced) return;
  svg.dataset.enhanced = "1";
  const vb = svg.viewBox.baseVal;
  const home = { x: vb.x, y: vb.y, w: vb.width, h: vb.height };
  let view = { ...home };
  const scaled = [...svg.querySelectorAll(".ct-marker circle, .ct-marker text, .ct-label")].map((el) => ({
    el,
    r: parseFloat(el.getAttribute("r")),
    fs: parseFloat(getComputedStyle(el).fontSize) || null,
    sw: parseFloat(getComputedStyle(el).strokeWidth) || null,
  }));

  const listeners = [];
  const admin1 = svg.querySelector(".ct-admin1[data-min-zoom]");
  const fixed = fixedOverlay(svg, home);

  function apply() {
    svg.setAttribute("viewBox", `${view.x} ${view.y} ${view.w} ${view.h}`);
    const k = home.w / view.w;
    for (const s of scaled) {
      if (!Number.isNaN(s.r)) s.el.setAttribute("r", (s.r / k).toFixed(2));
      if (s.fs && s.el.tagName === "text") s.el.style.fontSize = `${s.fs / k}px`;
      if (s.sw) s.el.style.strokeWidth = `${s.sw / k}px`;
    }
    svg.style.setProperty("--ct-zoom", k);
    if (admin1) admin1.style.display = k >= parseFloat(admin1.dataset.minZoom) ? "inline" : "";
    fixed(view, k);
    for (const f of listeners) f();
  }

  // Fit the box (SVG units of the unzoomed map) in the view, with a margin,
  // zooming in at least twofold so a cluster always splits.
  function fit(x0, y0, x1, y1) {
    const k = home.w / view.w;
    const pad = 40 / k;
    const w = Math.max(x1 - x0 + 2 * pad, 1e-6);
    const h = Math.max(y1 - y0 + 2 * pad, 1e-6);
    const nk = Math.min(MAX_ZOOM, Math.max(k * 2, Math.min(home.w / w, home.h / h)));
    view = { x: (x0 + x1) / 2 - home.w / nk / 2, y: (y0 + y1) / 2 - home.h / nk / 2, w: home.w / nk, h: home.h / nk };
    clamp();
    apply();
  }

  function pan(dx, dy) {
    view.x += dx * view.w;
    view.y += dy * view.h;
    clamp();
    apply();
  }

  function zoomAt(factor, cx, cy) {
    const k = home.w / view.w;
    const nk = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, k * factor));
    const nw = home.w / nk;
    const nh = home.h / nk;
    view.x = cx - ((cx - view.x) * nw) / view.w;
    view.y = cy - ((cy - view.y) * nh) / view.h;
    view.w = nw;
    view.h = nh;
    clamp();
    apply();
  }

  function clamp() {
    view.x = Math.min(Math.max(view.x, home.x), home.x + home.w - view.w);
    view.y = Math.min(Math.max(view.y, home.y), home.y + home.h - view.h);
  }

  function toSVG(evt) {
    const rect = svg.getBoundingClientRect();
    return {
      x: view.x + ((evt.clientX - rect.left) / rect.width) * view.w,
      y: view.y + ((evt.clientY - rect.top) / rect.height) * view.h,
    };
  }

  svg.addEventListener("wheel", (evt) => {
    if (!evt.ctrlKey && !evt.metaKey && !figure.classList.contains("active")) return;
    evt.preventDefault();
    const p = toSVG(evt);
    zoomAt(evt.deltaY < 0 ? 1.25 : 0.8, p.x, p.y);
  }, { passive: false });

  let drag = null;
  svg.addEventListener("pointerdown", (evt) => {
    if (evt.button !== 0 || evt.target.closest(".ct-marker, .ct-cluster")) return;
    figure.classList.add("active");
    drag = { x: evt.clientX, y: evt.clientY, vx: view.x, vy: view.y, moved: false };
    svg.setPointerCapture(evt.pointerId);
  });
  svg.addEventListener("pointermove", (evt) => {
    if (!drag) return;
    const rect = svg.getBoundingClientRect();
    const dx = ((evt.clientX - drag.x) / rect.width) * view.w;
    const dy = ((evt.clientY - drag.y) / rect.height) * view.h;
    if (Math.abs(dx) + Math.abs(dy) > 0) drag.moved = true;
    view.x = drag.vx - dx;
    view.y = drag.vy - dy;
    clamp();
    apply();
  });
  const endDrag = () => { drag = null; };
  svg.addEventListener("pointerup", endDrag);
  svg.addEventListener("pointercancel", endDrag);

  const controls = document.createElement("div");
  controls.className = "map-controls";
  for (const [label, text, fn] of [
    ["Zoom in", "+", () => zoomAt(1.5, view.x + view.w / 2, view.y + view.h / 2)],
    ["Zoom out", "−", () => zoomAt(1 / 1.5, view.x + view.w / 2, view.y + view.h / 2)],
    ["Reset view", "⟲", () => { view = { ...home }; clamp(); apply(); }],
  ]) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.title = label;
    b.setAttribute("aria-label", label);
    b.addEventListener("click", fn);
    controls.append(b);
  }
  frame.append(controls);

  let popup = null;
  function closePopup(focusBack) {
    if (!popup) return;
    const from = popup.from;
    popup.remove();
    popup = null;
    if (focusBack && from) from.focus();
  }

  function openPopup(marker) {
    closePopup(false);
    const d = marker.dataset;
    popup = document.createElement("div");
    popup.className = "map-popup";
    popup.setAttribute("role", "dialog");
    popup.setAttribute("aria-label", d.name);
    const link = popupBody(popup, marker);
    const close = document.createElement("button");
    close.type = "button";
    close.className = "close";
    close.textContent = "×";
    close.setAttribute("aria-label", "Close");
    close.addEventListener("click", () => closePopup(true));
    popup.append(close);
    popup.from = marker;
    frame.append(popup);
    const m = marker.getBoundingClientRect();
    const f = frame.getBoundingClientRect();
    let left = m.left - f.left + m.width / 2 + 8;
    let top = m.top - f.top + m.height / 2 + 8;
    left = Math.max(4, Math.min(left, f.width - popup.offsetWidth - 4));
    top = Math.max(4, Math.min(top, f.height - popup.offsetHeight - 4));
    popup.style.left = `${left}px`;
    popup.style.top = `${top}px`;
    link.focus();
  }

  svg.addEventListener("click", (evt) => {
    const marker = evt.target.closest(".ct-marker");
    if (!marker) return;
    evt.preventDefault();
    openPopup(marker);
  });
  // The map itself takes the focus, so the keys below work before any
  // marker is selected.
  svg.setAttribute("tabindex", "0");
  svg.setAttribute("aria-keyshortcuts", "ArrowUp ArrowDown ArrowLeft ArrowRight + - 0");
  figure.addEventListener("keydown", (evt) => {
    if (evt.key === "Escape") {
      closePopup(true);
      return;
    }
    if (!svg.contains(evt.target) || evt.altKey || evt.ctrlKey || evt.metaKey) return;
    const cx = view.x + view.w / 2;
    const cy = view.y + view.h / 2;
    const keys = {
      "+": () => zoomAt(1.5, cx, cy),
      "=": () => zoomAt(1.5, cx, cy),
      "-": () => zoomAt(1 / 1.5, cx, cy),
      "0": () => { view = { ...home }; clamp(); apply(); },
      ArrowLeft: () => pan(-0.15, 0),
      ArrowRight: () => pan(0.15, 0),
      ArrowUp: () => pan(0, -0.15),
      ArrowDown: () => pan(0, 0.15),
    };
    if (keys[evt.key]) {
      evt.preventDefault();
      keys[evt.key]();
    }
  });
  document.addEventListener("click", (evt) => {
    if (popup && !popup.contains(evt.target) && !evt.target.closest(".ct-marker")) closePopup(false);
  });
  const api = {
    figure, frame, svg,
    maxZoom: MAX_ZOOM,
    zoom: () => home.w / view.w,
    view: () => ({ ...view }),
    fit,
  };
  const tiles = initTiles(api);
  const cluster = initClusters(api);
  // Clustering depends on the zoom only; tiles on every move.
  let lastK = 0;
  listeners.push(() => {
    const k = home.w / view.w;
    if (k !== lastK) {
      lastK = k;
      cluster();
    }
    tiles();
  });
  apply();
  figure.ctMap = api;
  figure.classList.add("enhanced");
}

// fixedOverlay keeps the scale bar and the credit where they are on the
// screen while the map zooms and pans, and keeps the bar true: at each zoom
// it shows the longest round distance that fits where the bar was.
function fixedOverlay(svg, home) {
  const scale = svg.querySelector(".ct-scale");
  const credit = svg.querySelector(".ct-attrib");
  const bar = scale?.querySelector("path");
  const label = scale?.querySelector("text");
  let pxPerKm = 0;
  let maxLen = 0;
  let x = 0;
  let y = 0;
  if (bar && label) {
    const m = /^M([\d.]+) ([\d.]+)v[\d.]+h([\d.]+)/.exec(bar.getAttribute("d") || "");
    const km = parseFloat(label.textContent);
    if (m && km > 0) {
      x = parseFloat(m[1]);
      y = parseFloat(m[2]) + 4;
      pxPerKm = parseFloat(m[3]) / km;
      maxLen = Math.min(120, home.w / 6);
    }
  }
  return function (view, k) {
    const t = `translate(${view.x - home.x / k} ${view.y - home.y / k}) scale(${1 / k})`;
    if (credit) credit.setAttribute("transform", t);
    if (!scale) return;
    scale.setAttribute("transform", t);
    if (!pxPerKm) return;
    let km = 0;
    for (let p = 1e-3; p <= 1e5; p *= 10) {
      for (const f of [1, 2, 5]) if (f * p * pxPerKm * k <= maxLen) km = f * p;
    }
    if (!km) return;
    const len = km * pxPerKm * k;
    bar.setAttribute("d", `M${x} ${y - 4}v4h${len.toFixed(1)}v-4`);
    label.textContent = `${+km.toPrecision(3)} km`;
  };
}

for (const f of document.querySelectorAll("figure[data-map]")) enhance(f);
