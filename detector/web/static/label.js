// 标注 page shortcuts: 1 重复, 2 不重复, 3 不确定, ← previous pair. A separate file: the pages allow no inline script.
(function () {
  "use strict";
  var form = document.getElementById("label-form");
  if (!form) { return; }
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.altKey || event.ctrlKey || event.metaKey || event.isComposing) { return; }
    if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable)) { return; }
    if (event.key === "ArrowLeft") {
      var back = document.getElementById("label-back");
      if (back) { event.preventDefault(); window.location.href = back.href; }
      return;
    }
    var button = form.querySelector('button[data-key="' + event.key + '"]');
    if (button) {
      event.preventDefault();
      if (form.requestSubmit) { form.requestSubmit(button); } else { button.click(); }
    }
  });
}());
