/* global window, document, fetch, IntersectionObserver */
/* Afterglow reviews list: loads the product's reviews (an escaped HTML fragment served by the app through the
   app proxy) when the block nears the screen, and the next pages on request. Deferred; no dependencies. */
(function () {
  function load(root, page) {
    var body = root.querySelector("[data-afterglow-reviews-body]");
    var url = new URL(root.getAttribute("data-endpoint"), window.location.origin);
    url.searchParams.set("product", root.getAttribute("data-product"));
    url.searchParams.set("locale", root.getAttribute("data-locale") || "en");
    if (page > 1) url.searchParams.set("page", String(page));
    root.setAttribute("aria-busy", "true");
    return fetch(url.toString(), { headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("reviews " + response.status);
        return response.text();
      })
      .then(function (html) {
        body.innerHTML = html;
        if (page > 1) root.scrollIntoView({ block: "start", behavior: "smooth" });
      })
      .catch(function () {
        /* keep what Liquid rendered (the rating from the metafields) */
      })
      .then(function () {
        root.removeAttribute("aria-busy");
      });
  }

  function start(root) {
    if (root.getAttribute("data-afterglow-started")) return;
    root.setAttribute("data-afterglow-started", "1");
    root.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("[data-agr-page]");
      if (!button) return;
      load(root, Number(button.getAttribute("data-agr-page")) || 1);
    });
    if (!("IntersectionObserver" in window)) return load(root, 1);
    var observer = new IntersectionObserver(
      function (entries) {
        if (
          !entries.some(function (e) {
            return e.isIntersecting;
          })
        )
          return;
        observer.disconnect();
        load(root, 1);
      },
      { rootMargin: "400px" },
    );
    observer.observe(root);
  }

  function init() {
    document.querySelectorAll("[data-afterglow-reviews]").forEach(start);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
  /* The theme editor re-renders sections in place. */
  document.addEventListener("shopify:section:load", init);
})();
