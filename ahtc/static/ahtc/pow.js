// Proof of work for the portal's forms (portal/antispam.py). Without it the
// forms still work; with it, reports and receipt look-ups draw on a larger
// budget. Each form with data-pow carries its own challenge, which names the
// difficulty in data-pow.
(function () {
  if (!window.crypto || !window.crypto.subtle || !window.TextEncoder) { return; }
  var encoder = new TextEncoder();

  function zeroBits(bytes) {
    var count = 0;
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) { count += 8; continue; }
      for (var b = 7; b >= 0; b--) { if (bytes[i] & (1 << b)) { return count; } count++; }
    }
    return count;
  }

  function solve(form) {
    var challenge = form.querySelector("input[name=pow_challenge]");
    var nonceField = form.querySelector("input[name=pow_nonce]");
    var bits = parseInt(form.getAttribute("data-pow"), 10) || 14;
    if (!challenge || !challenge.value || !nonceField || nonceField.value) { return; }

    function search(nonce) {
      var tries = [];
      for (var k = 0; k < 64; k++) {
        tries.push(crypto.subtle.digest("SHA-256", encoder.encode(challenge.value + ":" + (nonce + k))));
      }
      Promise.all(tries).then(function (digests) {
        for (var k = 0; k < digests.length; k++) {
          if (zeroBits(new Uint8Array(digests[k])) >= bits) { nonceField.value = String(nonce + k); return; }
        }
        setTimeout(function () { search(nonce + 64); }, 0);
      });
    }
    search(0);
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-pow]"), solve);
})();
