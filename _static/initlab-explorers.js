/* Kernel-free explorers of the Breaking Symmetry book (self-hosted, no dependencies).
 *
 * Markup (written by initlab.widgets.Explorer.static_html, one block per explorer):
 *   div.initlab-explorer[data-initlab-explorer]
 *     form.initlab-explorer-controls   one .initlab-explorer-control per control, in key
 *                                      order: a <select>, an <input type=range> (+ <output>)
 *                                      or a <fieldset> of radio buttons; option i has value i
 *     div.initlab-explorer-views       one figure.initlab-explorer-view[data-key="i-j-..."]
 *                                      per pre-rendered view (image, alt text, caption);
 *                                      all but one are [hidden]
 * When a control changes, the figure whose key matches the controls is shown and the others
 * hidden. An image that the build moved into its own file carries data-src instead of src
 * (_ext/initlab_explorers.py) and is fetched the first time its view is shown; after that
 * the browser has it and switching back only toggles `hidden`.
 * A key without a view is a build fault: it is reported on the console and in the page.
 */
(function () {
  "use strict";

  function controlValue(control) {
    var field = control.querySelector("select, input[type=range]");
    if (field) return field.value;
    var checked = control.querySelector("input[type=radio]:checked");
    return checked ? checked.value : "0";
  }

  function currentKey(root) {
    var controls = root.querySelectorAll(".initlab-explorer-control");
    return Array.prototype.map.call(controls, controlValue).join("-") || "0";
  }

  function updateReadouts(root) {
    root.querySelectorAll("input[type=range][data-texts]").forEach(function (range) {
      var texts = JSON.parse(range.getAttribute("data-texts"));
      var text = texts[Number(range.value)];
      range.setAttribute("aria-valuetext", text);
      var out = root.querySelector('output[for="' + range.id + '"]');
      if (out) out.textContent = text;
    });
  }

  function show(root) {
    var key = currentKey(root);
    var target = root.querySelector('.initlab-explorer-view[data-key="' + key + '"]');
    var status = root.querySelector(".initlab-explorer-status");
    if (!target) {
      console.error("initlab explorer " + root.id + ": no pre-rendered view for setting " + key);
      if (status) status.textContent = "This setting was not rendered when the book was built.";
      return;
    }
    if (status) status.textContent = "";
    var img = target.querySelector("img[data-src]");
    if (img && !img.getAttribute("src")) img.setAttribute("src", img.getAttribute("data-src"));
    root.querySelectorAll(".initlab-explorer-view").forEach(function (view) {
      view.hidden = view !== target;
    });
  }

  function init(root) {
    if (root.getAttribute("data-initlab-ready")) return;  // the script may be included twice
    root.setAttribute("data-initlab-ready", "1");
    var form = root.querySelector(".initlab-explorer-controls");
    if (!form) return;
    var status = document.createElement("p");
    status.className = "initlab-explorer-status";
    status.setAttribute("role", "status");
    root.appendChild(status);
    var update = function () { updateReadouts(root); show(root); };
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.reset();  // a reload must not keep controls that disagree with the shown view
    update();
  }

  function initAll() {
    document.querySelectorAll(".initlab-explorer[data-initlab-explorer]").forEach(init);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", initAll);
  else initAll();
})();
