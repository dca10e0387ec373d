// Progressive enhancement of the import progress page: while the import runs, ask for
// the status panel every two seconds and put it in place (the region is aria-live).
// Without JavaScript the page's own "Check progress" link does the same.
const region = document.getElementById("import-status");
if (region) {
  const poll = async () => {
    if (!region.querySelector("[data-running]")) return;
    try {
      const response = await fetch(region.dataset.progressUrl, {
        headers: { "X-Progress": "1" },
        credentials: "same-origin",
      });
      if (response.ok) region.innerHTML = await response.text();
    } catch (error) {
      // A dropped request is tried again on the next tick.
    }
    setTimeout(poll, 2000);
  };
  setTimeout(poll, 2000);
}
