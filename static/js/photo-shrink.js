/* Kết nghĩa: make chosen photos smaller in the browser before they are sent.
 *
 * A phone photo of 3–8 MB becomes a JPEG of at most 1600 px (a few hundred KB), so it
 * crosses a slow connection quickly; the server re-encodes it anyway. Progressive
 * enhancement: without JavaScript, or when anything here fails, the original files
 * are sent as chosen. Messages come from data-msg-* attributes (translated in the page).
 */
(function () {
  "use strict";
  var MAX_SIDE = 1600;
  var QUALITY = 0.85;
  var form = document.querySelector("form[data-photo-form]");
  if (!form) return;
  var input = form.querySelector("input[type=file][name=photos]");
  var status = form.querySelector("[data-photo-status]");
  var previews = form.querySelector("[data-photo-previews]");
  if (!input || !status || !window.DataTransfer || !window.Promise || !HTMLCanvasElement.prototype.toBlob) return;

  var lang = document.documentElement.lang || "vi";
  var buttons = form.querySelectorAll("button[type=submit]");
  var working = false;
  var sending = false;
  var objectUrls = [];

  function size(bytes) {
    var mb = bytes / 1048576;
    if (mb >= 1) return new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(mb) + " MB";
    return Math.max(1, Math.round(bytes / 1024)) + " KB";
  }

  function setWorking(on) {
    working = on;
    for (var i = 0; i < buttons.length; i++) buttons[i].disabled = on;
  }

  function decode(file) {
    if (window.createImageBitmap) {
      return createImageBitmap(file, { imageOrientation: "from-image" }).catch(function () {
        return decodeWithImg(file);
      });
    }
    return decodeWithImg(file);
  }

  function decodeWithImg(file) {
    return new Promise(function (resolve, reject) {
      var url = URL.createObjectURL(file);
      var img = new Image();
      img.onload = function () { resolve(img); };
      img.onerror = function () { URL.revokeObjectURL(url); reject(new Error("decode")); };
      img.src = url;
    });
  }

  function shrink(file) {
    if (!/^image\/(jpeg|png|webp)$/.test(file.type)) return Promise.resolve(file);
    return decode(file).then(function (picture) {
      var width = picture.naturalWidth || picture.width;
      var height = picture.naturalHeight || picture.height;
      var scale = Math.min(1, MAX_SIDE / Math.max(width, height));
      if (scale === 1 && file.size < 1048576) return file;
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      var context = canvas.getContext("2d");
      context.fillStyle = "#fff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(picture, 0, 0, canvas.width, canvas.height);
      if (picture.close) picture.close();
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob || blob.size >= file.size) return resolve(file);
          var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
          resolve(new File([blob], name, { type: "image/jpeg", lastModified: Date.now() }));
        }, "image/jpeg", QUALITY);
      });
    }).catch(function () { return file; });
  }

  function showPreviews(files) {
    objectUrls.forEach(URL.revokeObjectURL);
    objectUrls = [];
    previews.textContent = "";
    files.forEach(function (file) {
      if (!/^image\//.test(file.type)) return;
      var url = URL.createObjectURL(file);
      objectUrls.push(url);
      var item = document.createElement("li");
      var img = document.createElement("img");
      img.src = url;
      img.alt = file.name;
      img.width = 120;
      img.height = 80;
      img.className = "rounded";
      var caption = document.createElement("div");
      caption.className = "small text-body-secondary mt-1";
      caption.textContent = size(file.size);
      item.appendChild(img);
      item.appendChild(caption);
      previews.appendChild(item);
    });
  }

  input.addEventListener("change", function () {
    var chosen = Array.prototype.slice.call(input.files || []);
    if (!chosen.length) {
      status.textContent = "";
      showPreviews([]);
      return;
    }
    setWorking(true);
    status.textContent = status.dataset.msgWorking;
    var result = [];
    // One photo at a time: a phone has little memory for several decoded photos.
    chosen.reduce(function (previous, file) {
      return previous.then(function () {
        return shrink(file).then(function (out) { result.push(out); });
      });
    }, Promise.resolve()).then(function () {
      try {
        var transfer = new DataTransfer();
        result.forEach(function (file) { transfer.items.add(file); });
        input.files = transfer.files;
      } catch (error) {
        result = chosen; // the browser keeps the original files
      }
      var before = chosen.reduce(function (sum, f) { return sum + f.size; }, 0);
      var after = result.reduce(function (sum, f) { return sum + f.size; }, 0);
      var text = status.dataset.msgReady.replace("{n}", result.length).replace("{size}", size(after));
      if (after < before) text += " (" + size(before) + " → " + size(after) + ")";
      status.textContent = text;
      showPreviews(result);
    }).then(function () { setWorking(false); }, function () { setWorking(false); });
  });

  form.addEventListener("submit", function (event) {
    if (working || sending) {
      event.preventDefault();
      return;
    }
    sending = true;
    status.textContent = status.dataset.msgSending;
  });

  // Coming back to the page (bfcache) must not leave it stuck in "sending".
  window.addEventListener("pageshow", function () { sending = false; });
})();
