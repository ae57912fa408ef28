/**
 * A small local stand-in for App Bridge (cdn.shopify.com cannot be reached offline). It gives the sandbox what
 * the admin iframe gives a real app: a fresh session token on every same-origin fetch, the bounce page's
 * reload with a new `id_token`, the `shopify` global (toast, loading, save bar, idToken) and a visible nav menu.
 * Served only in the sandbox, from /sandbox/app-bridge.js.
 */
export const APP_BRIDGE_STANDIN_SOURCE = String.raw`(function () {
  "use strict";
  var script = document.currentScript;
  var apiKey = (script && script.getAttribute("data-api-key")) || "";
  var params = new URLSearchParams(location.search);
  var shop = params.get("shop") || sessionStorage.getItem("afterglow-sandbox-shop") || "";
  if (params.get("shop")) sessionStorage.setItem("afterglow-sandbox-shop", shop);
  var nativeFetch = window.fetch.bind(window);

  function idToken() {
    return nativeFetch("/sandbox/session-token?shop=" + encodeURIComponent(shop), { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error("sandbox session token: HTTP " + r.status); return r.json(); })
      .then(function (body) { return body.token; });
  }

  // Like App Bridge: authenticate every same-origin request with a fresh session token.
  window.fetch = function (input, init) {
    var url = new URL(typeof input === "string" ? input : input.url || String(input), location.href);
    if (url.origin !== location.origin || url.pathname.indexOf("/sandbox/") === 0) return nativeFetch(input, init);
    return idToken().then(function (token) {
      var headers = new Headers((init && init.headers) || (input instanceof Request ? input.headers : undefined));
      if (!headers.has("Authorization")) headers.set("Authorization", "Bearer " + token);
      return nativeFetch(input, Object.assign({}, init, { headers: headers }));
    });
  };

  // The library's bounce page asks App Bridge to reload the app with a new id_token.
  var reload = params.get("shopify-reload");
  if (reload) {
    idToken().then(function (token) {
      var target = new URL(reload, location.href);
      target.searchParams.set("id_token", token);
      location.replace(target.toString());
    });
  }

  // The admin reloads an app from its own iframe URL; here the address bar is that URL, so client-side
  // navigations keep the embedded parameters and a reload goes through the bounce page for a new token.
  var embeddedParams = ["embedded", "shop", "host"];
  ["pushState", "replaceState"].forEach(function (method) {
    var original = history[method].bind(history);
    history[method] = function (state, title, url) {
      if (url != null) {
        var next = new URL(String(url), location.href);
        if (next.origin === location.origin && next.pathname.indexOf("/app") === 0) {
          embeddedParams.forEach(function (name) {
            var value = params.get(name);
            if (value && !next.searchParams.has(name)) next.searchParams.set(name, value);
          });
          url = next.pathname + next.search + next.hash;
        }
      }
      return original(state, title, url);
    };
  });

  function toast(message, options) {
    var el = document.createElement("div");
    el.setAttribute("role", "status");
    el.setAttribute("data-sandbox-toast", "");
    el.textContent = message;
    el.style.cssText = "position:fixed;left:50%;bottom:24px;transform:translateX(-50%);z-index:1000;padding:10px 16px;" +
      "border-radius:8px;font:14px system-ui,sans-serif;color:#fff;background:" + (options && options.isError ? "#8e1f0b" : "#303030");
    document.body.appendChild(el);
    setTimeout(function () { el.remove(); }, (options && options.duration) || 4000);
    return "toast-" + Date.now();
  }

  // Outside the admin there is no contextual save bar, so <ui-save-bar> shows itself as a bar at the top of the
  // page with its own Save / Discard buttons (the real one hides the element and draws the admin's bar).
  if (window.customElements && !customElements.get("ui-save-bar")) {
    customElements.define("ui-save-bar", class extends HTMLElement {
      get showing() { return this.hasAttribute("data-showing"); }
      show() {
        if (!this.showing) { this.setAttribute("data-showing", ""); this.dispatchEvent(new CustomEvent("show")); }
        return Promise.resolve();
      }
      hide() {
        if (this.showing) { this.removeAttribute("data-showing"); this.dispatchEvent(new CustomEvent("hide")); }
        return Promise.resolve();
      }
      toggle() { return this.showing ? this.hide() : this.show(); }
    });
  }
  function saveBar(method) {
    return function (id) { var el = document.getElementById(id); return el && el[method] ? el[method]() : Promise.resolve(); };
  }

  var noop = function () { return Promise.resolve(); };
  window.shopify = {
    config: { apiKey: apiKey, shop: shop, host: params.get("host") || "", locale: "en" },
    environment: { embedded: false, mobile: false, pos: false },
    origin: location.origin,
    idToken: idToken,
    toast: { show: toast, hide: function () {} },
    loading: function () {},
    saveBar: { show: saveBar("show"), hide: saveBar("hide"), toggle: saveBar("toggle"), leaveConfirmation: noop },
    modal: { show: noop, hide: noop, toggle: noop },
    resourcePicker: function () { return Promise.resolve(undefined); },
    user: function () { return Promise.resolve({ accountAccess: "Account owner" }); },
  };

  // Outside the admin there is no side bar, so the nav menu renders as a top bar.
  var style = document.createElement("style");
  style.textContent = "ui-nav-menu{display:flex;gap:4px;align-items:center;padding:8px 16px;background:#1a1a1a;font:500 14px system-ui,sans-serif}" +
    "ui-nav-menu a{color:#e3e3e3;text-decoration:none;padding:6px 10px;border-radius:6px}" +
    "ui-nav-menu a[rel=home]{color:#fff;font-weight:650;margin-right:12px}" +
    "ui-nav-menu a:hover{background:#303030;color:#fff}" +
    "ui-title-bar{display:none}" +
    "ui-save-bar{display:none}" +
    "ui-save-bar[data-showing]{display:flex;gap:8px;align-items:center;position:fixed;top:0;left:0;right:0;z-index:600;" +
    "padding:8px 16px;background:#1a1a1a;box-shadow:0 2px 6px rgba(0,0,0,.3)}" +
    "ui-save-bar[data-showing]::before{content:'Unsaved changes';margin-right:auto;color:#fff;font:600 14px system-ui,sans-serif}" +
    "ui-save-bar button{order:1;padding:6px 12px;border-radius:8px;border:1px solid #616161;background:#303030;color:#fff;" +
    "font:600 13px system-ui,sans-serif;cursor:pointer}" +
    "ui-save-bar button[variant=primary]{order:2;background:#fff;border-color:#fff;color:#1a1a1a}" +
    "ui-save-bar button:disabled{opacity:.6;cursor:default}";
  document.head.appendChild(style);
  // The current page's link is highlighted by a style rule, not by touching the links React hydrates.
  var current = document.createElement("style");
  document.head.appendChild(current);
  function markCurrent() {
    var rule = 'ui-nav-menu a[href="' + location.pathname.replace(/"/g, "") + '"]:not([rel=home]){background:#303030;color:#fff}';
    if (current.textContent !== rule) current.textContent = rule;
  }
  markCurrent();
  ["pushState", "replaceState"].forEach(function (method) {
    var next = history[method];
    history[method] = function () { var result = next.apply(history, arguments); markCurrent(); return result; };
  });
  window.addEventListener("popstate", markCurrent);
})();
`;
