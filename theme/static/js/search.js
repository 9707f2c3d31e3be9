// Search with Pagefind, in Vietnamese, with or without diacritics.
// Pagefind folds tone and vowel marks but not "đ", so the index carries a folded copy of
// each body (đ -> d) and the query is folded the same way here before it is sent.
const form = document.querySelector("form.search-form");
const input = document.getElementById("tu-khoa-tim");
const sectionSelect = document.getElementById("loc-chuyen-trang");
const status = document.getElementById("trang-thai-tim");
const list = document.getElementById("ket-qua-tim");
const ALIAS_MARK = "\u2042";

// One character folded to one character (its base letter, lower case; "đ" -> "d").
// Remembered: excerpts of up to 30 results are folded, and decomposing each
// character anew cost a long task on a phone (a few hundred distinct characters recur).
const FOLDED = new Map([["đ", "d"], ["Đ", "d"]]);
function foldChar(ch) {
  let folded = FOLDED.get(ch);
  if (folded === undefined) {
    folded = (ch.normalize("NFD").replace(/[\u0300-\u036f]/g, "").charAt(0) || ch).toLowerCase();
    if (folded.length !== ch.length) folded = ch;  // keep positions: a character whose case changes length stays
    FOLDED.set(ch, folded);
  }
  return folded;
}
// Character by character, so positions in the folded text are positions in the original.
function fold(text) {
  let folded = "";
  for (const ch of text.normalize("NFC")) folded += foldChar(ch);
  return folded;
}

// A query as the index holds it: folded, and punctuation as spaces ("399/QĐ-BCĐ" -> "399 qd bcd").
function terms(query) { return fold(query).replace(/[^\p{L}\p{N}]+/gu, " ").trim(); }

const escape = (w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
// A word matches at the start of a word only (Pagefind matches prefixes): "uy" never marks "xuyên".
function wordPattern(words) { return new RegExp(`(?<![\\p{L}\\p{N}])(?:${words.map(escape).join("|")})`, "gu"); }

// Where the first query word starts in a text. Only a growing prefix is folded: the
// first match of a long text is usually near its start, and folding every character of
// 30 results was the search page's longest task on a phone.
function firstMatch(original, pattern) {
  for (let size = 2048; ; size *= 4) {
    const found = fold(original.slice(0, size)).search(pattern);
    if (found >= 0 || size >= original.length) return found;
  }
}

const EXCERPT = 240;
function excerpt(content, words) {
  const original = content.split(ALIAS_MARK)[0].trim().normalize("NFC");
  const pattern = wordPattern(words);
  const first = firstMatch(original, pattern);
  let start = Math.max(0, first - 80);
  if (start > 0) start = original.indexOf(" ", start) + 1 || start;  // begin on a word
  let end = Math.min(original.length, start + EXCERPT);
  if (end < original.length) {  // end on a word
    const space = original.lastIndexOf(" ", end);
    if (space > start) end = space;
  }
  const piece = original.slice(start, end);
  const foldedPiece = fold(piece);  // one character for one: positions in it are positions in piece
  const fragment = document.createDocumentFragment();
  if (start > 0) fragment.append("… ");
  let cursor = 0;
  for (const match of foldedPiece.matchAll(pattern)) {
    fragment.append(piece.slice(cursor, match.index));
    const mark = document.createElement("mark");
    mark.textContent = piece.slice(match.index, match.index + match[0].length);
    fragment.append(mark);
    cursor = match.index + match[0].length;
  }
  fragment.append(piece.slice(cursor) + (end < original.length ? " …" : ""));
  return fragment;
}

// The index is one Pagefind bundle per run of years (the first holds the standing
// pages), plus a small bundle of the pages changed since their year's bundle was made:
// the first listed loads first and merges the rest. A changed page's old fragment in its
// year's bundle is listed as shadowed, and dropped from every result; a fragment the
// delta holds unchanged is kept once.
let loaded = null;
function loadPagefind() {
  loaded ??= (async () => {
    const base = form.dataset.pagefind;
    const { shards, shadowed = [] } = await (await fetch(`${base}shards.json`)).json();
    if (!shards.length) return null;  // nothing published yet
    const pagefind = await import(`${base}${shards[0]}/pagefind.js`);
    await pagefind.options({ bundlePath: `${base}${shards[0]}/` });
    for (const shard of shards.slice(1)) await pagefind.mergeIndex(`${base}${shard}/`);
    return { pagefind, shadowed: new Set(shadowed) };
  })().catch((error) => { loaded = null; throw error; });  // a failed load is tried again by the next search
  return loaded;
}

async function run(query, section) {
  list.replaceChildren();
  if (!query.trim()) { status.textContent = ""; return; }
  status.textContent = "Đang tìm…";
  let index;
  try {
    index = await loadPagefind();
  } catch {
    status.textContent = "Không tải được dữ liệu tìm kiếm. Vui lòng thử lại.";
    return;
  }
  if (!index) { status.textContent = `Không tìm thấy kết quả cho “${query}”`; return; }
  const folded = terms(query);
  if (!folded) { status.textContent = `Không tìm thấy kết quả cho “${query}”`; return; }
  const filters = section ? { section: section } : {};
  // A query that starts as a number does ("72/2013/NĐ-CP") is also looked up as one word
  // ("722013ndcp"), which only the document bearing that number is indexed under: it
  // comes first, then the documents that cite it.
  const exact = /^\d/.test(folded) && folded.includes(" ") ? folded.replaceAll(" ", "") : null;
  const [numbered, search] = await Promise.all([
    exact ? index.pagefind.search(exact, { filters }) : { results: [] },
    index.pagefind.search(folded, { filters }),
  ]);
  const seen = new Set(index.shadowed);
  const found = [...numbered.results, ...search.results].filter((r) => !seen.has(r.id) && seen.add(r.id));
  const results = await Promise.all(found.slice(0, 30).map((r) => r.data()));
  status.textContent = results.length ? `Tìm thấy ${found.length} kết quả cho “${query}”` : `Không tìm thấy kết quả cho “${query}”`;
  const words = folded.split(" ").filter(Boolean);
  for (const data of results) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = data.url;
    link.textContent = data.meta.title || data.url;
    const heading = document.createElement("h2");
    heading.className = "item-title";
    heading.append(link);
    const meta = document.createElement("p");
    meta.className = "item-meta";
    const number = data.meta.number ? `Số ${data.meta.number}` : "";
    meta.textContent = [(data.filters.section || []).join(", "), data.meta.date, number].filter(Boolean).join(" · ");
    const text = document.createElement("p");
    text.append(excerpt(data.content, words));
    item.append(heading, meta, text);
    list.append(item);
  }
}

// Pagefind (its script, WebAssembly and indexes) is fetched only when someone is about to
// search: the box is focused, typed in or touched, or the address carries a query. A
// visit that never searches loads none of it.
const WANT_EVENTS = ["focus", "input", "pointerdown"];
function warmUp() {
  for (const type of WANT_EVENTS) input.removeEventListener(type, warmUp);
  loadPagefind().catch(() => {});  // a failure is reported by the search that needs it
}
for (const type of WANT_EVENTS) input.addEventListener(type, warmUp, { passive: true });

const params = new URLSearchParams(window.location.search);
input.value = params.get("q") || "";
sectionSelect.value = params.get("muc") || "";
form.addEventListener("submit", (event) => {
  event.preventDefault();
  const url = new URL(window.location.href);
  url.searchParams.set("q", input.value);
  url.searchParams.set("muc", sectionSelect.value);
  window.history.replaceState(null, "", url);
  run(input.value, sectionSelect.value);
});
// A query in the address (a shared link, or the form sent before this script ran) runs at once.
if (input.value.trim()) run(input.value, sectionSelect.value);
