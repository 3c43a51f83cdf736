// The page works without this script. It only adds what helps while choosing: filtering
// the topics by typing, each title in the chosen language (the English one under it), and
// a notice next to "Language" when a chosen topic has no version in it (it prints in English).
"use strict";

(function () {
  const form = document.querySelector("form[data-order]");
  if (!form) return;
  const rows = Array.from(form.querySelectorAll("tr[data-topic]"));
  const search = document.getElementById("search");
  const status = document.getElementById("search-status");
  const language = document.getElementById("language");
  const notice = document.getElementById("language-notice");

  const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  const has = (row, code) => row.dataset.languages.split(" ").includes(code);
  const ticked = (row) => { const box = row.querySelector("input[type=checkbox]"); return box && box.checked; };

  function filter() {
    const words = fold(search.value).split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const row of rows) {
      row.hidden = !words.every((word) => fold(row.dataset.search).includes(word));
      if (!row.hidden) shown += 1;
    }
    status.textContent = !words.length ? "" : shown
      ? `${shown} of ${rows.length} topics shown`
      : `No topic matches “${search.value.trim()}”. Clear the search to see them all.`;
  }

  function showLanguage() {
    for (const row of rows) {
      const code = has(row, language.value) ? language.value : row.dataset.fallback;
      for (const part of row.querySelectorAll("[data-lang]")) part.hidden = part.dataset.lang !== code;
      for (const english of row.querySelectorAll("[data-also]")) english.hidden = code === "en";
    }
    tellFallbacks();
  }

  function tellFallbacks() {
    const missing = rows.filter((row) => ticked(row) && !has(row, language.value)).map(
      (row) => row.querySelector("label [data-lang]:not([hidden])").textContent);
    const words = missing.length === 1 ? notice.dataset.one : notice.dataset.many;
    const text = !missing.length ? "" : words
      .replace("{titles}", missing.join(", "))
      .replace("{language}", language.selectedOptions[0].dataset.name);
    if (notice.textContent !== text) notice.textContent = text;
  }

  document.querySelector("[data-search-box]").hidden = false;
  search.addEventListener("input", filter);
  search.addEventListener("keydown", (event) => { if (event.key === "Enter") event.preventDefault(); });
  language.addEventListener("change", showLanguage);
  form.addEventListener("change", (event) => { if (event.target.name === "topic") tellFallbacks(); });
  showLanguage();
})();
