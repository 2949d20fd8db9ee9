// Progressive enhancement: the receipt page works without this file.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.classList.remove("js-only");
  button.addEventListener("click", function () { window.print(); });
});

// "Save as picture": draw the code on a canvas, on the phone, and download it.
// Nothing is sent anywhere; the code never leaves this page.
document.querySelectorAll("[data-save-image]").forEach(function (button) {
  var output = document.querySelector(".receipt-code output");
  if (!output || !document.createElement("canvas").getContext) { return; }
  button.classList.remove("js-only");
  button.addEventListener("click", function () {
    var canvas = document.createElement("canvas");
    canvas.width = 720; canvas.height = 200;
    var ctx = canvas.getContext("2d");
    ctx.fillStyle = "#ffffff"; ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = "#1b1f23";
    ctx.font = "28px sans-serif";
    ctx.fillText(button.getAttribute("data-caption") || "", 30, 55);
    ctx.font = "bold 56px monospace";
    ctx.fillText(output.textContent.trim(), 30, 140);
    var link = document.createElement("a");
    link.download = "receipt.png";
    link.href = canvas.toDataURL("image/png");
    document.body.appendChild(link);
    link.click();
    link.remove();
  });
});

document.querySelectorAll("[data-copy]").forEach(function (button) {
  var output = document.querySelector(".receipt-code output");
  if (!output || !navigator.clipboard) { return; }
  button.classList.remove("js-only");
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(output.textContent.replace(/\s/g, "")).then(function () {
      button.textContent = button.getAttribute("data-done") || button.textContent;
    });
  });
});
