// Marks the page as having JavaScript (GOV.UK Frontend's pattern), before anything renders.
// A file rather than an inline script, so the content security policy needs no exception.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
