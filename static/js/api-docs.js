// Starts the vendored Swagger UI on the API reference page (an external file, so the page needs
// no inline script under the Content-Security-Policy).
const root = document.getElementById("swagger-ui");

window.SwaggerUIBundle({
  url: root.dataset.specUrl,
  domNode: root,
  // Off: with it each operation's toggle button holds a link (a control nested in a control).
  deepLinking: false,
  // No badge fetched from validator.swagger.io: nothing leaves this server.
  validatorUrl: null,
  // Plain examples: the highlighter's colours fail contrast on its dark background.
  syntaxHighlight: false,
});

// Swagger UI leaves the value pickers of parameters without an accessible name: name each after
// its parameter ("include_inactive (query)") as operations are opened.
function nameParameterControls() {
  for (const row of root.querySelectorAll("tr[data-param-name]")) {
    const name = `${row.dataset.paramName} (${row.dataset.paramIn})`;
    for (const control of row.querySelectorAll("select, input, textarea")) {
      if (!control.getAttribute("aria-label") && !control.labels?.length) {
        control.setAttribute("aria-label", name);
      }
    }
  }
}

new MutationObserver(nameParameterControls).observe(root, { childList: true, subtree: true });
