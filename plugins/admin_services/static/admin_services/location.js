// "Pakai lokasi saya": fills the complaint form's latitude and longitude from the phone's
// position (the browser asks the resident first). Without JavaScript the fields stay typeable.
(function () {
  "use strict";
  var button = document.querySelector("[data-locate]");
  var lat = document.getElementById("id_latitude");
  var lng = document.getElementById("id_longitude");
  if (!button || !lat || !lng || !navigator.geolocation) {
    return;
  }
  var status = document.getElementById(button.getAttribute("aria-describedby"));
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = button.dataset.waiting;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        lat.value = position.coords.latitude.toFixed(6);
        lng.value = position.coords.longitude.toFixed(6);
        status.textContent = button.dataset.done;
      },
      function () {
        status.textContent = button.dataset.failed;
      },
      { enableHighAccuracy: true, timeout: 15000 }
    );
  });
})();
