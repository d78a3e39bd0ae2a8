// Enhances the server-rendered SVG maps: pan and zoom, and a popup for each
// marker. Without this script every map still works: markers are links to
// their place pages and carry a tooltip.

const MIN_ZOOM = 1;
const MAX_ZOOM = 16;

function enhance(figure) {
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

  function apply() {
    svg.setAttribute("viewBox", `${view.x} ${view.y} ${view.w} ${view.h}`);
    const k = home.w / view.w;
    for (const s of scaled) {
      if (!Number.isNaN(s.r)) s.el.setAttribute("r", (s.r / k).toFixed(2));
      if (s.fs && s.el.tagName === "text") s.el.style.fontSize = `${s.fs / k}px`;
      if (s.sw) s.el.style.strokeWidth = `${s.sw / k}px`;
    }
    svg.style.setProperty("--ct-zoom", k);
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
    if (evt.button !== 0 || evt.target.closest(".ct-marker")) return;
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
    ["Reset view", "⟲", () => { view = { ...home }; apply(); }],
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
    const h = document.createElement("h3");
    h.textContent = d.name;
    popup.append(h);
    if (d.note) {
      const p = document.createElement("p");
      p.textContent = d.note;
      popup.append(p);
    }
    const link = document.createElement("a");
    link.href = marker.getAttribute("href");
    link.textContent = `Open the page on ${d.name} →`;
    const lp = document.createElement("p");
    lp.append(link);
    popup.append(lp);
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
  figure.addEventListener("keydown", (evt) => {
    if (evt.key === "Escape") closePopup(true);
    if ((evt.key === "+" || evt.key === "=") && evt.target === svg) zoomAt(1.5, view.x + view.w / 2, view.y + view.h / 2);
    if (evt.key === "-" && evt.target === svg) zoomAt(1 / 1.5, view.x + view.w / 2, view.y + view.h / 2);
  });
  document.addEventListener("click", (evt) => {
    if (popup && !popup.contains(evt.target) && !evt.target.closest(".ct-marker")) closePopup(false);
  });
  figure.classList.add("enhanced");
}

for (const f of document.querySelectorAll("figure[data-map]")) enhance(f);
