// Marker clustering for the enhanced maps. Where markers would overlap at
// the current zoom, they are hidden and one count bubble stands for them;
// selecting the bubble (click, Enter or Space) zooms in until they split.
//
// Markers another script has filtered out (the hidden attribute, or
// display: none set inline on the a.ct-marker) are left out, and the map
// re-clusters when that changes, or on a "ct-map-filter" event on the
// figure.

const SVG = "http://www.w3.org/2000/svg";
const GAP = 2; // px kept between two markers before they merge

// bubbleRadius grows slowly with the count, from a little over the largest
// marker's size.
const bubbleRadius = (n) => Math.min(22, 11 + 3 * Math.log2(n));

export function initClusters(api) {
  const { svg, figure } = api;
  const layer = document.createElementNS(SVG, "g");
  layer.setAttribute("class", "ct-clusters");
  svg.querySelector(".ct-markers")?.after(layer);
  const markers = [...svg.querySelectorAll("a.ct-marker")].map((el) => {
    const c = el.querySelector("circle");
    return {
      el,
      x: parseFloat(c.getAttribute("cx")),
      y: parseFloat(c.getAttribute("cy")),
      r: parseFloat(c.getAttribute("r")),
      count: parseInt(el.dataset.count, 10) || 1,
    };
  });
  if (markers.length < 2) return () => {};

  const filtered = (m) => m.el.hasAttribute("hidden") || m.el.style.display === "none";

  function run() {
    const k = api.zoom();
    layer.replaceChildren();
    for (const m of markers) m.el.classList.remove("ct-clustered");
    if (k >= api.maxZoom) return;
    // Items start as the markers; any two whose circles (a bubble's for a
    // group) would touch on screen merge, until none do. A grid of cells
    // one merge distance wide keeps each pass to neighbours, so thousands
    // of markers stay quick.
    let items = markers.filter((m) => !filtered(m)).map((m) => ({ members: [m], x: m.x, y: m.y, r: m.r }));
    for (let merged = true; merged && items.length > 1; ) {
      merged = false;
      const maxR = Math.max(...items.map((it) => it.r));
      const cell = (2 * maxR + GAP) / k;
      const grid = new Map();
      for (const it of items) {
        const key = `${Math.floor(it.x / cell)},${Math.floor(it.y / cell)}`;
        if (!grid.has(key)) grid.set(key, []);
        grid.get(key).push(it);
      }
      const gone = new Set();
      const next = [];
      // Items keep their order, largest marker first, so the busiest
      // place seeds each group.
      for (const it of items) {
        if (gone.has(it)) continue;
        gone.add(it);
        const cx = Math.floor(it.x / cell);
        const cy = Math.floor(it.y / cell);
        let group = it;
        for (let i = cx - 1; i <= cx + 1; i++) {
          for (let j = cy - 1; j <= cy + 1; j++) {
            for (const o of grid.get(`${i},${j}`) || []) {
              if (gone.has(o) || Math.hypot(o.x - it.x, o.y - it.y) * k >= it.r + o.r + GAP) continue;
              gone.add(o);
              const members = group.members.concat(o.members);
              group = {
                members,
                x: members.reduce((s, m) => s + m.x, 0) / members.length,
                y: members.reduce((s, m) => s + m.y, 0) / members.length,
                r: bubbleRadius(members.length),
              };
              merged = true;
            }
          }
        }
        next.push(group);
      }
      items = next;
    }
    const groups = items.filter((it) => it.members.length > 1).map((it) => it.members);
    for (const g of groups) layer.append(bubble(g, k));
  }

  function bubble(group, k) {
    const n = group.length;
    const x = group.reduce((s, m) => s + m.x, 0) / n;
    const y = group.reduce((s, m) => s + m.y, 0) / n;
    const r = bubbleRadius(n);
    const names = group.map((m) => m.el.dataset.name);
    const g = document.createElementNS(SVG, "g");
    g.setAttribute("class", "ct-cluster");
    g.setAttribute("tabindex", "0");
    g.setAttribute("role", "button");
    g.dataset.count = String(n);
    g.dataset.ids = group.map((m) => m.el.dataset.id).join(" ");
    const shown = names.slice(0, 8).join(", ") + (n > 8 ? ` and ${n - 8} more` : "");
    g.setAttribute("aria-label", `${n} places: ${shown}. Zoom in to see them.`);
    const title = document.createElementNS(SVG, "title");
    title.textContent = `${n} places: ${shown}`;
    const c = document.createElementNS(SVG, "circle");
    c.setAttribute("cx", x);
    c.setAttribute("cy", y);
    c.setAttribute("r", (r / k).toFixed(3));
    const t = document.createElementNS(SVG, "text");
    t.setAttribute("x", x);
    t.setAttribute("y", y);
    t.setAttribute("dy", ".35em");
    t.setAttribute("text-anchor", "middle");
    t.style.fontSize = `${12 / k}px`;
    t.textContent = String(n);
    g.append(title, c, t);
    for (const m of group) m.el.classList.add("ct-clustered");
    const open = () => {
      const xs = group.map((m) => m.x);
      const ys = group.map((m) => m.y);
      api.fit(Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys));
      // Keep the keyboard where it was: on the first marker of the group.
      const first = group.find((m) => !m.el.classList.contains("ct-clustered"));
      if (first && document.activeElement === g) first.el.focus();
    };
    g.addEventListener("click", (evt) => { evt.stopPropagation(); open(); });
    g.addEventListener("keydown", (evt) => {
      if (evt.key === "Enter" || evt.key === " ") {
        evt.preventDefault();
        open();
      }
    });
    return g;
  }

  const watch = new MutationObserver(run);
  for (const m of markers) watch.observe(m.el, { attributes: true, attributeFilter: ["hidden", "style"] });
  figure.addEventListener("ct-map-filter", run);
  return run;
}
