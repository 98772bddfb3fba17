// Swagger UI over our OpenAPI document (templates/api/docs.html): both served from
// our own static files, no inline script, so the page keeps the strict CSP.
(function () {
  "use strict";
  var node = document.getElementById("swagger-ui");
  if (!node || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: node.dataset.schemaUrl,
    domNode: node,
    deepLinking: false,
    // No "Try it out" calls to other servers and no validator badge (an outside site).
    validatorUrl: null,
    defaultModelsExpandDepth: 0,
  });
})();
