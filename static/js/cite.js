/* 引用: each table row with an id has a link to itself ("引用", budgets/tables.py); this script
   turns it into a button that copies the row's citation: unit, publication, table, row, its
   figures with their columns, dates and the permalink (the page's canonical address + #id).
   Without JavaScript the link still gives the row's address. No inline code (CSP). */
(function () {
  "use strict";

  var publisher = document.querySelector(".publisher");
  var reportLink = document.querySelector(".publisher .report-link");
  var status = null;
  var AMOUNT = /^[+-]?[0-9]+\.[0-9]{2}$/;

  function text(node) {
    return node ? node.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function today() {
    var d = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  function permalink(id) {
    var canonical = document.querySelector('link[rel="canonical"]');
    var base = canonical ? canonical.href : location.href.split("#")[0];
    return base + "#" + encodeURIComponent(id);
  }

  // The report form for one row: the footer's link with the row's id as `figure`.
  function reportUrl(id) {
    if (!reportLink) return "";
    var url = new URL(reportLink.href, location.href);
    url.searchParams.set("figure", id);
    return url.pathname + url.search;
  }

  function cellText(cell) {
    var copy = cell.cloneNode(true);
    copy.querySelectorAll(".cite, .visually-hidden").forEach(function (n) { n.remove(); });
    return text(copy);
  }

  function citation(row) {
    var section = row.closest("section") || document;
    var heading = section.querySelector("h2") || document.querySelector("h1");
    var code = row.querySelector("td.code");
    var name = row.querySelector("td.name, th.name");
    var figures = [];
    row.querySelectorAll("td.num").forEach(function (cell) {
      var value = cellText(cell);
      // Amounts are in 万元 (every table says so above it); rates carry their own %.
      if (value) figures.push(cell.dataset.label + " " + value + (AMOUNT.test(value) ? " 万元" : ""));
    });
    var unit = publisher ? publisher.dataset.unit || "" : "";
    var publications = publisher ? publisher.dataset.publications || "" : "";
    var rowName = [text(code), name ? cellText(name) : ""].filter(Boolean).join(" ");
    var parts = [];
    parts.push((unit ? unit + "，" : "") + "“" + text(heading) + "”表，“" + rowName + "”行");
    if (figures.length) parts.push(figures.join("；"));
    if (publications) parts.push("出处：" + publications);
    parts.push("预决算公开平台 " + permalink(row.id) + "（引用于 " + today() + "）");
    return parts.join("。") + "。";
  }

  // One confirmation at a time, under the button that was used: short, with the citation
  // folded away (or open and selected when it could not be copied) and a report link.
  function show(button, message, citationText, copied, id) {
    if (!status) {
      status = document.createElement("div");
      status.className = "cite-status";
      status.setAttribute("role", "status");
    }
    status.textContent = "";
    var line = document.createElement("p");
    line.textContent = message;
    status.appendChild(line);
    var details = document.createElement("details");
    var summary = document.createElement("summary");
    summary.textContent = "引用文字";
    var box = document.createElement("textarea");
    box.readOnly = true;
    box.rows = 5;
    box.value = citationText;
    box.setAttribute("aria-label", "引用文字");
    details.appendChild(summary);
    details.appendChild(box);
    details.open = !copied;
    status.appendChild(details);
    var report = reportUrl(id);
    if (report) {
      var link = document.createElement("a");
      link.href = report;
      link.textContent = "报告这个数字有误";
      status.appendChild(link);
    }
    button.parentNode.appendChild(status);
    if (!copied) {
      box.focus();
      box.select();
    }
  }

  function copy(button, row) {
    var value = citation(row);
    var done = function () { show(button, "已复制“" + row.id + "”行的引用。", value, true, row.id); };
    var manual = function () { show(button, "无法自动复制，请复制下面的文字：", value, false, row.id); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(value).then(done, manual);
    } else {
      manual();
    }
  }

  document.querySelectorAll("a.cite").forEach(function (link) {
    var row = link.closest("tr[id]");
    if (!row) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "cite";
    link.childNodes.forEach(function (node) { button.appendChild(node.cloneNode(true)); });
    button.dataset.row = row.id;
    button.addEventListener("click", function () { copy(button, row); });
    link.replaceWith(button);
  });

  // Opened at a row (#2080150): the footer's report link names that row.
  if (reportLink && location.hash.length > 1) {
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target && target.tagName === "TR") reportLink.href = reportUrl(target.id);
  }
})();
