// The content of a marker's popup: the place, how often and when the
// articles name it, the sentence on the marker, and the newest articles,
// read from the page's map data (a JSON island written at build time).

let cache;

// mapData returns the page's map data, or null when the page has none.
export function mapData() {
  if (cache === undefined) {
    const el = document.getElementById("ct-map-data");
    try {
      cache = el ? JSON.parse(el.textContent) : null;
    } catch {
      cache = null;
    }
  }
  return cache;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

// A date as "5 Jun 2018", from "2018-06-05", without the reader's time
// zone moving it a day.
function day(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

// popupBody fills the popup for one a.ct-marker and returns the link that
// should take the focus.
export function popupBody(popup, marker) {
  const d = marker.dataset;
  const href = marker.getAttribute("href");
  popup.append(el("h3", d.name));
  // [count, first date when some articles are left out, index of each
  // newest article...]; the newest listed article has the last date and,
  // when all are listed, the oldest one the first.
  const arts = mapData()?.articles || [];
  const row = mapData()?.places?.[d.id];
  let info = null;
  if (Array.isArray(row)) {
    const cut = typeof row[1] === "string";
    const a = row.slice(cut ? 2 : 1).filter((i) => arts[i]);
    info = { n: row[0], a, last: a.length ? arts[a[0]][2] : "", first: cut ? row[1] : a.length ? arts[a[a.length - 1]][2] : "" };
  }
  if (info && info.n > 0 && info.first && info.last) {
    const when = info.first === info.last ? day(info.first) : `${day(info.first)} – ${day(info.last)}`;
    popup.append(el("p", `${info.n} ${info.n === 1 ? "article" : "articles"} · ${when}`, "meta"));
  }
  if (d.note) {
    // Site-wide maps note "N articles, dates. Latest: sentence"; the line
    // above already gives the count and dates, so keep the sentence.
    const i = info ? d.note.indexOf(". Latest: ") : -1;
    popup.append(el("p", i >= 0 ? `Latest: ${d.note.slice(i + 10)}` : d.note, "note"));
  }
  if (info && info.a.length) {
    const ul = el("ul", "", "articles");
    for (const i of info.a) {
      const a = arts[i];
      if (!a) continue;
      const li = el("li");
      const link = el("a", a[0]);
      link.href = a[1];
      li.append(link, " ", el("span", day(a[2]), "date"));
      ul.append(li);
    }
    popup.append(ul);
  }
  const more = info && info.n > info.a.length ? `All ${info.n} articles on ${d.name} →` : `Open the page on ${d.name} →`;
  const link = el("a", more);
  link.href = href;
  const p = el("p");
  p.append(link);
  popup.append(p);
  return popup.querySelector("a") || link;
}
