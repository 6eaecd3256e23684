// Loads a web edition in headless Chromium, runs axe-core on it (WCAG 2.2 A and AA, and
// best practices) and prints the violations as JSON. Run by tests/integration/web.rs:
//   node tests/browser/axe.mjs <file.html>
import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const page_file = process.argv[2];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage();
  // The page must need nothing from any host: every request but the file itself is counted.
  const requests = [];
  page.on("request", (r) => { if (r.url() !== pathToFileURL(page_file).href) requests.push(r.url()); });
  await page.goto(pathToFileURL(page_file).href);
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () =>
    await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
    }));
  const violations = result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
  }));
  // An action's status on more than one line ("On / track"), at a laptop's width and a
  // phone's: each such cell's words, by width.
  const wrapped = {};
  for (const width of [1000, 390]) {
    await page.setViewportSize({ width, height: 900 });
    wrapped[width] = await page.evaluate(() =>
      [...document.querySelectorAll("td[class^='rag-']")].filter((cell) => {
        const range = document.createRange();
        range.selectNodeContents(cell);
        return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1;
      }).map((cell) => cell.textContent));
  }
  console.log(JSON.stringify({ violations, passes: result.passes.length, requests, wrapped }));
} finally {
  await browser.close();
}
