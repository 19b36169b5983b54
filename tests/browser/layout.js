// What does not fit the screen: run in the page, returns one line per problem (none: []).
// A cell must lie inside the viewport's width (not in a box that scrolls sideways), its text
// must not overflow it, and a cell whose text wraps must be at least two characters wide (no
// "公/务/用" one character per line). Cells hidden from sight (display: none, a clipped
// visually-hidden header) are not measured. `except` is a CSS selector of tables allowed to
// scroll sideways.
(except) => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  const hidden = (element) => {
    for (let e = element; e; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.display === "none" || style.visibility === "hidden") return true;
      if (style.clip && style.clip !== "auto") return true;
    }
    return false;
  };
  const text = (element) => element.innerText.trim().replace(/\s+/g, " ").slice(0, 24);
  const lines = (cell, style) => {
    const range = document.createRange();
    range.selectNodeContents(cell);
    const lineHeight = parseFloat(style.lineHeight) || 1.2 * parseFloat(style.fontSize);
    return Math.round(range.getBoundingClientRect().height / lineHeight);
  };
  if (document.documentElement.scrollWidth > width + 1) {
    problems.push(`the page is ${document.documentElement.scrollWidth}px wide`);
  }
  for (const cell of document.querySelectorAll("td, th")) {
    if (hidden(cell) || (except && cell.closest(except))) continue;
    const box = cell.getBoundingClientRect();
    const style = getComputedStyle(cell);
    if (box.left < -1 || box.right > width + 1) {
      problems.push(`“${text(cell)}” lies at ${Math.round(box.left)}–${Math.round(box.right)}px`);
    } else if (cell.scrollWidth > cell.clientWidth + 1) {
      problems.push(`“${text(cell)}” overflows its cell (${cell.scrollWidth}px in ${cell.clientWidth}px)`);
    } else if (text(cell) && lines(cell, style) > 1) {
      const inner = box.width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      if (inner < 2 * parseFloat(style.fontSize) - 0.5) {
        problems.push(`“${text(cell)}” wraps in ${Math.round(inner)}px, under two characters`);
      }
    }
  }
  return problems;
}
