// Optional slippy-map tiles under the markers, for sites that set
// map.tiles in their configuration. The SVG is drawn in Web Mercator, the
// projection of every common tile scheme, and carries its projection in
// data-proj, so tiles line up with the markers without a map library: the
// markers, clusters, popups and keyboard access stay exactly as they are.

const SVG = "http://www.w3.org/2000/svg";
const HALF = Math.PI * 6378137; // Web Mercator half-width, metres
const TILE = 256;
const MAX_TILES = 64; // per view, so a wild zoom never floods the server

export function initTiles(api) {
  const { svg, figure } = api;
  const url = figure.dataset.tiles;
  const proj = (svg.dataset.proj || "").split(" ").map(Number);
  if (!url || proj.length !== 3 || proj.some((v) => !Number.isFinite(v))) return () => {};
  const [x0, y0, mpp] = proj;
  const maxZoom = Math.max(0, Math.min(24, parseInt(figure.dataset.tilesMaxZoom, 10) || 18));
  const layer = document.createElementNS(SVG, "g");
  layer.setAttribute("class", "ct-tiles");
  layer.setAttribute("aria-hidden", "true");
  svg.querySelector(".ct-sea")?.after(layer);
  svg.classList.add("ct-has-tiles");

  const credit = svg.querySelector(".ct-attrib");
  if (credit && figure.dataset.tilesAttribution) {
    credit.textContent = `${figure.dataset.tilesAttribution} · ${credit.textContent}`;
  }

  const images = new Map();
  function tileURL(z, x, y) {
    const n = 2 ** z;
    const wx = ((x % n) + n) % n;
    return url
      .replaceAll("{z}", z)
      .replaceAll("{x}", wx)
      .replaceAll("{y}", y)
      .replaceAll("{s}", "abc"[(wx + y) % 3])
      .replaceAll("{r}", window.devicePixelRatio > 1 ? "@2x" : "");
  }

  return function update() {
    const v = api.view();
    const rect = svg.getBoundingClientRect();
    if (!rect.width) return;
    // Metres per device pixel at this zoom; pick the tile level whose
    // pixels are at least that fine.
    const mppScreen = (mpp * v.w) / rect.width / (window.devicePixelRatio || 1);
    let z = Math.ceil(Math.log2((2 * HALF) / TILE / mppScreen));
    z = Math.max(0, Math.min(maxZoom, z));
    const tileM = (2 * HALF) / 2 ** z;
    const left = x0 + v.x * mpp;
    const right = x0 + (v.x + v.w) * mpp;
    const top = y0 - v.y * mpp;
    const bottom = y0 - (v.y + v.h) * mpp;
    const tx0 = Math.floor((left + HALF) / tileM);
    const tx1 = Math.floor((right + HALF) / tileM);
    const ty0 = Math.max(0, Math.floor((HALF - top) / tileM));
    const ty1 = Math.min(2 ** z - 1, Math.floor((HALF - bottom) / tileM));
    const want = new Set();
    if ((tx1 - tx0 + 1) * (ty1 - ty0 + 1) <= MAX_TILES) {
      for (let tx = tx0; tx <= tx1; tx++) {
        for (let ty = ty0; ty <= ty1; ty++) {
          const key = `${z}/${tx}/${ty}`;
          want.add(key);
          if (images.has(key)) continue;
          const img = document.createElementNS(SVG, "image");
          img.setAttribute("href", tileURL(z, tx, ty));
          img.setAttribute("x", (tx * tileM - HALF - x0) / mpp);
          img.setAttribute("y", (y0 - (HALF - ty * tileM)) / mpp);
          img.setAttribute("width", tileM / mpp);
          img.setAttribute("height", tileM / mpp);
          img.setAttribute("preserveAspectRatio", "none");
          images.set(key, img);
          layer.append(img);
        }
      }
    }
    for (const [key, img] of images) {
      if (!want.has(key)) {
        img.remove();
        images.delete(key);
      }
    }
  };
}
