// The browser side of tools/check_docs.py: open each page in a frame, report what a reader would see.
// Filled in by check_docs.py: the page URLs, the raw-TeX tokens and the frame width.
const pages = __PAGES__;
const raw = __RAW__;
const width = __WIDTH__;
const results = {};
function loaded(frame, url) {
  return new Promise(resolve => { frame.onload = resolve; frame.src = url; });
}
function around(text, token) {
  const at = text.indexOf(token);
  return text.slice(Math.max(0, at - 40), at + 40).replace(/\s+/g, " ");
}
async function inspect(url) {
  const frame = document.createElement("iframe");
  frame.style.width = width + "px"; frame.style.height = "900px";
  document.body.appendChild(frame);
  await loaded(frame, url);
  const win = frame.contentWindow, doc = frame.contentDocument;
  if (win.MathJax && win.MathJax.startup && win.MathJax.startup.promise) {
    await win.MathJax.startup.promise;
  }
  const pending = [...doc.images].filter(img => !img.complete);
  await Promise.all(pending.map(img => new Promise(r => { img.onload = img.onerror = r; })));
  const visible = doc.body.cloneNode(true);
  visible.querySelectorAll("script, style, pre, code, mjx-container").forEach(e => e.remove());
  const text = visible.textContent;
  results[url] = {
    ids: [...doc.querySelectorAll("[id]")].map(e => e.id),
    math: doc.querySelectorAll(".math").length,
    unrendered: [...doc.querySelectorAll(".math")]
      .filter(e => !e.querySelector("mjx-container"))
      .map(e => e.textContent.slice(0, 60)),
    raw: raw.filter(token => text.includes(token)).map(token => token + " in: " + around(text, token)),
    images: [...doc.images].map(img => ({src: img.getAttribute("src"), ok: img.complete && img.naturalWidth > 0})),
    links: [...doc.querySelectorAll("a[href]")].map(a => a.href),
    wide: [...doc.querySelectorAll("table.wide-table")].map(t => ({
      width: t.getBoundingClientRect().width,
      row: Math.max(...[...t.rows].map(r => r.getBoundingClientRect().height)),
      font: parseFloat(win.getComputedStyle(t.rows[t.rows.length - 1].cells[0]).fontSize),
    })),
  };
  frame.remove();
}
(async () => {
  for (const url of pages) {
    try { await inspect(url); } catch (error) { results[url] = {error: String(error)}; }
  }
  const out = document.createElement("pre");
  out.id = "results";
  out.textContent = "RESULTS" + JSON.stringify(results) + "END";
  document.body.appendChild(out);
})();
