// Print what Mozilla pdf.js (the reader inside Firefox) sees in tagged PDFs, as JSON on stdout:
// for each file named on the command line, for each page, the structure tree Firefox hands to
// screen readers (page.getStructTree(): roles, alt text, languages, marked-content ids) and
// the text of each marked-content id (page.getTextContent with marked content). One Node
// process reads every file, so the tests start Node once.
//   node tests/js/structure.mjs a.pdf b.pdf
import { readFile } from "node:fs/promises";

// pdf.js builds a DOMMatrix when it loads, for drawing pages; nothing here draws, and the
// canvas package that would provide one is optional (not installed), so a stand-in will do.
globalThis.DOMMatrix ??= class DOMMatrix {};
const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");

async function read(file) {
  const data = new Uint8Array(await readFile(file));
  const pdf = await getDocument({ data, isEvalSupported: false, useSystemFonts: false, verbosity: 0 }).promise;
  const pages = [];
  for (let number = 1; number <= pdf.numPages; number++) {
    const page = await pdf.getPage(number);
    const content = await page.getTextContent({ includeMarkedContent: true });
    const text = {};
    const open = [];
    for (const item of content.items) {
      if (item.type === "beginMarkedContentProps" || item.type === "beginMarkedContent") {
        open.push(item.id ?? null);
      } else if (item.type === "endMarkedContent") {
        open.pop();
      } else {
        const id = open.findLast((entry) => entry !== null);
        if (id) text[id] = (text[id] ?? "") + item.str + (item.hasEOL ? "\n" : "");
      }
    }
    pages.push({ tree: await page.getStructTree(), text });
  }
  await pdf.destroy();
  return pages;
}

const result = {};
for (const file of process.argv.slice(2)) {
  result[file] = await read(file);
}
process.stdout.write(JSON.stringify(result));
