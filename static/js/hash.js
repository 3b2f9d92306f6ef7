// Progressive enhancement: compute a file's SHA-256 on this device with Web Crypto
// and fill the hash box. The file never leaves the device: the picker has no name,
// so the form never sends it.
(function () {
  "use strict";
  if (!window.crypto || !window.crypto.subtle || !window.FileReader) { return; }
  document.querySelectorAll("[data-hash-row]").forEach(function (row) {
    var target = row.querySelector("input[name$='-sha256']");
    if (!target) { return; }
    var wrapper = document.createElement("div");
    wrapper.className = "field";
    var id = target.id + "-picker";
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = target.form.getAttribute("data-hash-label") || "Compute the hash from a file on this device (the file is not sent)";
    var picker = document.createElement("input");
    picker.type = "file";
    picker.id = id;
    picker.addEventListener("change", function () {
      var file = picker.files && picker.files[0];
      if (!file) { return; }
      file.arrayBuffer().then(function (buffer) {
        return window.crypto.subtle.digest("SHA-256", buffer);
      }).then(function (digest) {
        target.value = Array.from(new Uint8Array(digest)).map(function (b) {
          return b.toString(16).padStart(2, "0");
        }).join("");
        picker.value = "";
      });
    });
    wrapper.appendChild(label);
    wrapper.appendChild(picker);
    target.parentNode.insertBefore(wrapper, target.parentNode.firstChild);
  });
}());
