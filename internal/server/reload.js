// Live reload for `chronotope serve`. The server adds this script to the
// pages it serves (never to a built site). It listens for the server's
// events: "reload" when this page changed, "problem" when the last edit did
// not build (shown over the page, which stays the last version that built),
// "ok" when it builds again.

const me = new URL(import.meta.url);
const events = new URL("events", me);
events.searchParams.set("page", location.pathname);
events.searchParams.set("gen", me.searchParams.get("gen") || "0");
events.searchParams.set("id", me.searchParams.get("id") || "");

const scrollKey = "chronotope-scroll";

// Put the reader back where they were before the reload.
function restoreScroll() {
  let saved;
  try {
    saved = JSON.parse(sessionStorage.getItem(scrollKey) || "null");
    sessionStorage.removeItem(scrollKey);
  } catch {
    return;
  }
  if (!saved || saved.path !== location.pathname || Date.now() - saved.at > 60000) return;
  const apply = () => window.scrollTo(saved.x, saved.y);
  if (document.readyState === "complete") apply();
  else window.addEventListener("load", apply, { once: true });
  // Late images and the map may still grow the page once.
  requestAnimationFrame(apply);
}

function reload() {
  try {
    sessionStorage.setItem(scrollKey, JSON.stringify({
      path: location.pathname, x: window.scrollX, y: window.scrollY, at: Date.now(),
    }));
  } catch {
    // private mode: reload without the scroll position
  }
  location.reload();
}

let overlay = null;

function showProblem(problem) {
  hideProblem();
  const host = document.createElement("chronotope-problem");
  host.setAttribute("role", "alert");
  const root = host.attachShadow({ mode: "open" });
  const style = document.createElement("style");
  style.textContent = `
    :host { all: initial; position: fixed; inset: 0; z-index: 2147483647; display: flex;
      align-items: flex-start; justify-content: center; padding: 5vh 1rem; overflow: auto;
      background: rgba(20, 22, 26, 0.72); font: 15px/1.5 system-ui, sans-serif; color: #1d2329; }
    .box { background: #fff; max-width: 52rem; width: 100%; border-radius: 6px; border-top: 6px solid #b3261e;
      box-shadow: 0 8px 30px rgba(0,0,0,.35); padding: 1.2rem 1.5rem; }
    h2 { margin: 0 0 .3rem; font-size: 1.2rem; color: #b3261e; }
    p.note { margin: 0 0 1rem; color: #5d6770; }
    ol { margin: 0; padding: 0; list-style: none; }
    li { border-top: 1px solid #e4e1da; padding: .7rem 0; }
    code { font: 13px/1.4 ui-monospace, Menlo, Consolas, monospace; background: #f3f1ec; padding: .1rem .3rem;
      border-radius: 3px; word-break: break-all; }
    .msg { margin: .3rem 0 0; white-space: pre-wrap; }
    .hint { margin: .3rem 0 0; color: #39603d; }
    button { font: inherit; margin-top: 1rem; padding: .3rem .9rem; border: 1px solid #8a8f94; border-radius: 4px;
      background: #fff; cursor: pointer; }
    button:focus-visible { outline: 3px solid #1d5fa8; outline-offset: 2px; }`;
  const box = document.createElement("div");
  box.className = "box";
  const h = document.createElement("h2");
  h.textContent = problem.errors.length === 1 ? "The site did not build" : `The site did not build: ${problem.errors.length} problems`;
  const note = document.createElement("p");
  note.className = "note";
  note.textContent = "The page behind this is the last version that built. Fix the file and save: this goes away by itself.";
  const list = document.createElement("ol");
  for (const e of problem.errors) {
    const li = document.createElement("li");
    if (e.file) {
      const where = document.createElement("code");
      where.className = "where";
      where.textContent = e.file + (e.line ? ":" + e.line + (e.col ? ":" + e.col : "") : "");
      li.append(where);
    }
    const msg = document.createElement("p");
    msg.className = "msg";
    msg.textContent = e.message;
    li.append(msg);
    if (e.hint) {
      const hint = document.createElement("p");
      hint.className = "hint";
      hint.textContent = e.hint;
      li.append(hint);
    }
    list.append(li);
  }
  const close = document.createElement("button");
  close.type = "button";
  close.textContent = "Hide until the next save";
  close.addEventListener("click", hideProblem);
  box.append(h, note, list, close);
  root.append(style, box);
  document.documentElement.append(host);
  overlay = host;
  document.addEventListener("keydown", onKey);
}

function onKey(ev) {
  if (ev.key === "Escape") hideProblem();
}

function hideProblem() {
  if (overlay) overlay.remove();
  overlay = null;
  document.removeEventListener("keydown", onKey);
}

let source = null;

function connect() {
  if (source) return;
  source = new EventSource(events);
  source.addEventListener("reload", reload);
  source.addEventListener("problem", (ev) => showProblem(JSON.parse(ev.data)));
  source.addEventListener("ok", hideProblem);
}

// A hidden tab lets go of its connection (browsers allow a few per host)
// and asks on its return whether its page changed meanwhile.
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "hidden") {
    if (source) source.close();
    source = null;
  } else {
    connect();
  }
});

restoreScroll();
if (document.visibilityState !== "hidden") connect();
