import { initAll } from "/static/govuk/govuk-frontend.min.js";
initAll();

// Wide tables scroll sideways inside their own region on narrow screens (the page itself
// does not scroll sideways). A region that scrolls can be reached and scrolled with the
// keyboard, and is named after the table's caption.
function scrollableTables() {
  for (const table of document.querySelectorAll("table.govuk-table")) {
    let region = table.parentElement;
    if (!region.classList.contains("sg-table-scroll")) {
      region = document.createElement("div");
      region.className = "sg-table-scroll";
      table.parentElement.insertBefore(region, table);
      region.appendChild(table);
    }
    if (region.hasAttribute("tabindex") && !region.dataset.sgAuto) continue;
    if (region.scrollWidth > region.clientWidth + 1) {
      const caption = table.querySelector("caption");
      region.dataset.sgAuto = "1";
      region.setAttribute("tabindex", "0");
      region.setAttribute("role", "region");
      region.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table");
    } else if (region.dataset.sgAuto) {
      for (const name of ["tabindex", "role", "aria-label", "data-sg-auto"]) region.removeAttribute(name);
    }
  }
}
scrollableTables();
window.addEventListener("resize", scrollableTables);
